import { randomUUID } from 'node:crypto';
import { EMPTY_ROOT } from '@pdx/merkle';
import { type Clock, type Logger, PeriodicTask, RuntimeError } from '@pdx/runtime';
import type { Collection } from '@pdx/store';
import type { HeadSigner } from './heads.js';
import type { EntryDoc, HeadDoc, LeaseDoc, PendingDoc } from './ledger-docs.js';
import { seqId } from './ledger-docs.js';
import {
  entryDoc,
  entryProblem,
  Frontier,
  insertEntry,
  LedgerIntegrityError,
  type LogStore,
  writeNodes,
} from './ledger-log.js';

export interface SequencerStore extends LogStore {
  pending: Collection<PendingDoc>;
  leases: Collection<LeaseDoc>;
  heads: Collection<HeadDoc>;
}

export interface SequencerOptions {
  /** How long a lease lasts without renewal; a dead leader is replaced after this. */
  leaseMs: number;
  /** How often the sequencer looks for work (and renews its lease). */
  intervalMs: number;
  /** Entries appended per batch at most. */
  batch: number;
  /** A head is issued after a batch, at most this often… */
  headMinIntervalMs: number;
  /** …and at least this often, even when nothing was appended. */
  headIntervalMs: number;
  /**
   * How long an appended event's record is kept (by the injected clock). A redelivery after
   * that is still one entry: the entries' unique event ids catch it.
   */
  pendingRetentionMs?: number;
}

const leaseId = (epoch: number) => `sequencer-${String(epoch).padStart(12, '0')}`;

/**
 * The one writer of the log. Replicas compete for a lease (inserting the next lease term,
 * which only one insert can do); the holder appends pending exemption events in the order
 * received, each at the next position, and signs tree heads. A holder that cannot renew in
 * time stops appending; a successor first checks and completes the last entries the
 * previous holder wrote. Entries are only ever inserted at a free position: two writers can
 * never put two entries at one position, and an entry is never replaced or removed.
 */
export class Sequencer {
  readonly holder = randomUUID();
  readonly #store: SequencerStore;
  readonly #signer: HeadSigner;
  readonly #clock: Clock;
  readonly #wallClock: Clock;
  readonly #logger: Logger;
  readonly #options: SequencerOptions;
  readonly #task: PeriodicTask;
  #epoch: number | undefined;
  #frontier: Frontier | undefined;
  /** The last head issued: its size, and when by the wall clock (heads are paced by it). */
  #lastHead: { size: number; atMs: number } | undefined;
  #lastPruneMs = 0;
  #halted: string | undefined;

  constructor(
    store: SequencerStore,
    signer: HeadSigner,
    clocks: { clock: Clock; wallClock: Clock },
    logger: Logger,
    options: SequencerOptions,
  ) {
    this.#store = store;
    this.#signer = signer;
    this.#clock = clocks.clock;
    this.#wallClock = clocks.wallClock;
    this.#logger = logger;
    if (options.intervalMs > options.leaseMs * 0.4) {
      throw new RuntimeError(
        'PDX_CONFIG_INVALID',
        `PDX_LEDGER_INTERVAL_MS (${options.intervalMs} ms) must be well under PDX_LEDGER_LEASE_MS (${options.leaseMs} ms): at most 40% of it`,
      );
    }
    this.#options = options;
    this.#task = new PeriodicTask('ledger sequencer', () => this.pass(), options.intervalMs, logger);
  }

  /** True while this replica holds the lease. */
  get leading(): boolean {
    return this.#epoch !== undefined;
  }

  /** Why this replica refuses to append (an integrity problem), if it does. */
  get halted(): string | undefined {
    return this.#halted;
  }

  halt(reason: string): void {
    this.#halted = reason;
    this.#epoch = undefined;
    this.#frontier = undefined;
  }

  start(): void {
    this.#task.start();
  }

  /** Stops appending and hands the lease back, so another replica takes over at once. */
  async stop(): Promise<void> {
    await this.#task.stop();
    const epoch = this.#epoch;
    this.#epoch = undefined;
    if (epoch === undefined) return;
    const lease = await this.#store.leases.get(leaseId(epoch));
    if (lease?.holder === this.holder) await this.#store.leases.put({ ...lease, expiresMs: 0 });
  }

  /** One round: hold the lease, append what is pending, issue a head when due. */
  async pass(): Promise<void> {
    if (this.#halted) return;
    if (!(await this.#holdLease())) return;
    try {
      if (!this.#frontier) this.#frontier = await this.#recover();
      for (;;) {
        // Checked again before each step that writes: a holder that lost its lease stops.
        if (!(await this.#holdLease()) || !this.#frontier) return;
        await this.#adopt();
        const appended = await this.#appendBatch();
        if (!(await this.#holdLease()) || !this.#frontier) return;
        await this.#maybeIssueHead();
        await this.#prune();
        // A full batch: more may be waiting.
        if (appended < this.#options.batch) return;
      }
    } catch (error) {
      if (error instanceof LedgerIntegrityError) {
        this.#logger.error({ err: error }, 'the stored ledger is inconsistent: appending stopped');
        this.halt(error.message);
        return;
      }
      // Anything else (the store unavailable): start again from the store next round.
      this.#frontier = undefined;
      throw error;
    }
  }

  #lose(): false {
    if (this.#epoch !== undefined) {
      this.#logger.warn({ epoch: this.#epoch }, 'ledger lease lost: no longer appending');
      this.#epoch = undefined;
      this.#frontier = undefined;
    }
    return false;
  }

  async #holdLease(): Promise<boolean> {
    const now = this.#wallClock.now();
    const { leaseMs } = this.#options;
    const [current] = await this.#store.leases.find({}, { sort: { field: 'epoch', order: -1 }, limit: 1 });
    if (current && this.#epoch === current.epoch && current.holder === this.holder) {
      // Stop a safety margin before expiry: a successor may start once it has passed.
      if (now < current.expiresMs - leaseMs / 5) {
        if (now > current.expiresMs - (leaseMs * 2) / 3) {
          // Renewed only if still exactly the term this holder took and last renewed.
          const renewed = await this.#store.leases.replaceIf(
            { ...current, expiresMs: now + leaseMs },
            { epoch: current.epoch, holder: this.holder, expiresMs: current.expiresMs },
          );
          if (!renewed) return this.#lose();
        }
        return true;
      }
    }
    this.#lose();
    if (current && now <= current.expiresMs) return false;
    const epoch = (current?.epoch ?? 0) + 1;
    const taken = await this.#store.leases.insert({
      id: leaseId(epoch),
      epoch,
      holder: this.holder,
      expiresMs: now + leaseMs,
    });
    if (taken !== 'inserted') return false;
    this.#epoch = epoch;
    this.#frontier = undefined;
    this.#logger.info({ epoch }, 'ledger lease taken: appending');
    return true;
  }

  /**
   * Finds the first free position and rebuilds the frontier there, re-deriving the interior
   * nodes of the last entries a previous holder may have left incomplete.
   */
  /**
   * Starts from the latest signed head: everything up to its size was complete (entries and
   * nodes) when it was signed. The entries written after it, by any holder, are then taken
   * in one by one (checked, their nodes completed) by `#adopt`, up to the first free position.
   */
  async #recover(): Promise<Frontier> {
    const [last] = await this.#store.heads.find({}, { sort: { field: 'treeSize', order: -1 }, limit: 1 });
    this.#lastHead = last ? { size: last.treeSize, atMs: 0 } : undefined;
    const frontier = await Frontier.load(this.#store, last?.treeSize ?? 0);
    const root = Buffer.from(frontier.root() ?? EMPTY_ROOT).toString('base64');
    if (last && root !== last.rootHash) {
      throw new LedgerIntegrityError(
        `the stored tree no longer has the root of the latest head (${last.id})`,
      );
    }
    this.#logger.info({ size: frontier.size }, 'ledger recovered from its latest head');
    return frontier;
  }

  /** Takes in entries already at the next positions (an interrupted batch of any holder). */
  async #adopt(): Promise<void> {
    const frontier = this.#frontier!;
    for (;;) {
      const doc = await this.#store.entries.get(seqId(frontier.size));
      if (!doc) return;
      await this.#take([doc]);
    }
  }

  /**
   * Takes entries at the next positions into the tree: checks each, writes the interior
   * nodes they complete (together), and marks their events appended.
   */
  async #take(docs: readonly EntryDoc[], known: ReadonlyMap<string, PendingDoc> = new Map()): Promise<void> {
    const frontier = this.#frontier!;
    const nodes = [];
    for (const doc of docs) {
      const problem = entryProblem(doc, frontier.size);
      if (problem) throw new LedgerIntegrityError(problem);
      nodes.push(...frontier.push(Buffer.from(doc.leafHash, 'base64')));
    }
    await writeNodes(this.#store, nodes);
    await Promise.all(
      docs.map(async (doc) => {
        const pending = known.get(doc.eventId) ?? (await this.#store.pending.get(doc.eventId));
        if (pending && !pending.appended)
          await this.#store.pending.put({ ...pending, appended: true, seq: doc.seq });
      }),
    );
  }

  /** Appends the next pending events at the next free positions; returns how many were added. */
  async #appendBatch(): Promise<number> {
    const { pending, entries } = this.#store;
    const frontier = this.#frontier!;
    const waiting = await pending.find(
      { appended: false },
      { sort: { field: 'receivedMs', order: 1 }, limit: this.#options.batch },
    );
    // An event whose entry exists (its bookkeeping interrupted) is not appended again.
    const recorded = await Promise.all(waiting.map((p) => entries.find({ eventId: p.id }, { limit: 1 })));
    const fresh: PendingDoc[] = [];
    for (const [i, p] of waiting.entries()) {
      const [entry] = recorded[i]!;
      if (!entry) fresh.push(p);
      else if (entry.seq < frontier.size) await pending.put({ ...p, appended: true, seq: entry.seq });
    }
    if (fresh.length === 0) return 0;
    const start = frontier.size;
    const writtenMs = this.#wallClock.now();
    const docs = fresh.map((p, i) => entryDoc(p, start + i, this.#epoch, writtenMs));
    // Inserted together (one commit on the embedded store); each position takes one entry.
    const outcomes = await Promise.all(docs.map((d) => insertEntry(this.#store, d)));
    const taken: EntryDoc[] = [];
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome === 'recorded') {
        // Another writer recorded this event meanwhile: the position stays free for the next round.
        this.#logger.warn({ eventId: docs[i]!.eventId }, 'event appended by another writer');
        break;
      }
      // A position already taken (a previous holder's interrupted batch) keeps its entry.
      const doc = outcome === 'inserted' ? docs[i]! : await entries.get(docs[i]!.id);
      if (!doc) throw new LedgerIntegrityError(`entry ${docs[i]!.seq} vanished`);
      taken.push(doc);
    }
    await this.#take(taken, new Map(fresh.map((p) => [p.id, p])));
    return taken.length;
  }

  /** Drops records of events appended longer ago than the retention, a page at a time, once a minute. */
  async #prune(): Promise<number> {
    const retention = this.#options.pendingRetentionMs;
    const now = this.#clock.now();
    if (retention === undefined || now - this.#lastPruneMs < 60_000) return 0;
    this.#lastPruneMs = now;
    const cutoff = now - retention;
    const old = await this.#store.pending.find(
      { appended: true },
      { sort: { field: 'receivedMs', order: 1 }, limit: 1000 },
    );
    const expired = old.filter((p) => p.receivedMs < cutoff);
    await Promise.all(expired.map((p) => this.#store.pending.delete(p.id)));
    return expired.length;
  }

  /** A head after growth (at most every headMinIntervalMs), and every headIntervalMs regardless. */
  async #maybeIssueHead(): Promise<void> {
    const frontier = this.#frontier!;
    const now = this.#wallClock.now();
    const last = this.#lastHead;
    const grown = !last || last.size !== frontier.size;
    const since = last ? now - last.atMs : Number.POSITIVE_INFINITY;
    if (!(since >= this.#options.headIntervalMs || (grown && since >= this.#options.headMinIntervalMs)))
      return;
    const head = await this.#signer.sign(frontier.size, frontier.root() ?? EMPTY_ROOT, this.#clock.now());
    await this.#store.heads.insert(head);
    this.#lastHead = { size: frontier.size, atMs: now };
  }

  /** The size of the log this replica has sequenced (while leading). */
  get size(): number | undefined {
    return this.#frontier?.size;
  }
}

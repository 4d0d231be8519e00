import type { DecisionContext, PdxEvent, SchemaRegistry } from '@pdx/contracts';
import { type Clock, isoNow, type Logger, PeriodicTask } from '@pdx/runtime';
import {
  type Collection,
  handleChange,
  type OutboxDeps,
  type OutboxPublisher,
  publishOutbox,
} from '@pdx/store';
import { followersOf, type ScheduleStore } from '../schedule/followers.js';
import { type MarkRecord, NEVER, type ScheduleDoc } from '../schedule/schedule-docs.js';
import { decideMark, type MarkInput } from './lapse-decisions.js';
import { type Follower, type Milestone, milestones, planLapses } from './lapse-plan.js';

/**
 * A mark whose event is still pending after this long was left by a crash or a log outage,
 * and is published by whoever scans next; a younger one is still being published by its
 * writer (publishing it too would put a duplicate in the log).
 */
const PENDING_GRACE_MS = 60_000;

export interface LapseSchedulerDeps extends ScheduleStore {
  marks: Collection<MarkRecord>;
  bus: OutboxPublisher<PdxEvent>;
  registry: SchemaRegistry;
  clock: Clock;
  /** Real time, for in-flight work (the domain clock may be a test's or jump). */
  wallClock: Clock;
  logger: Logger;
  /** The CloudEvents source and changedBy of what it publishes. */
  source: string;
  intervalMs: number;
  batchSize: number;
  /** Certificates evaluated at once. */
  concurrency: number;
  /** Records how long each scan took, in seconds of the wall clock (failed scans too). */
  scanDuration?: { observe(seconds: number): void };
}

export interface ScanResult {
  /** Certificates evaluated. */
  evaluated: number;
  /** Events published (warnings and expiries). */
  published: number;
  /** Milestones passed while nobody could warn, marked without an event. */
  skipped: number;
}

/**
 * Publishes `certificate.expiring.v1` at each linked buyer's thresholds and
 * `certificate.expired.v1` at validUntil. Correct with several replicas and after downtime:
 * every milestone is claimed by inserting its idempotency key (one insert wins, whichever
 * replica), with its event in that record's outbox until the log has it; each scan looks at
 * every certificate whose next milestone is due, including all that fell due while no
 * scheduler ran. The clock is injected; the interval only says how often to look.
 */
export class LapseScheduler {
  readonly #deps: LapseSchedulerDeps;
  readonly #task: PeriodicTask;
  /**
   * How marks are written: their writer claims a new mark's event for the grace, so a replica
   * that finds the mark already there leaves it to its writer until then.
   */
  readonly #marking: OutboxDeps<PdxEvent>;

  constructor(deps: LapseSchedulerDeps) {
    this.#deps = deps;
    this.#marking = {
      bus: deps.bus,
      logger: deps.logger,
      clock: deps.wallClock,
      outboxLeaseMs: PENDING_GRACE_MS,
    };
    this.#task = new PeriodicTask('lapse scan', () => this.scan(), deps.intervalMs, deps.logger);
  }

  start(): void {
    this.#task.start();
  }

  async stop(): Promise<void> {
    await this.#task.stop();
  }

  /** One pass over everything due now. */
  async scan(): Promise<ScanResult> {
    const started = this.#deps.wallClock.now();
    try {
      return await this.#scan();
    } finally {
      this.#deps.scanDuration?.observe((this.#deps.wallClock.now() - started) / 1000);
    }
  }

  async #scan(): Promise<ScanResult> {
    const d = this.#deps;
    await this.#flushAbandoned();
    const now = d.clock.now();
    const result: ScanResult = { evaluated: 0, published: 0, skipped: 0 };
    const seen = new Set<string>();
    // A holder's followers are read once per scan, not once per certificate it holds.
    const followers = new Map<string, Promise<Follower[]>>();
    const followersOfHolder = (holder: string) => {
      let f = followers.get(holder);
      if (!f) {
        f = followersOf(d, holder);
        followers.set(holder, f);
      }
      return f;
    };
    for (;;) {
      const batch = await d.schedule.find(
        { scheduled: true },
        { sort: { field: 'nextDueMs', order: 1 }, limit: d.batchSize },
      );
      const due = batch.filter((doc) => doc.nextDueMs <= now && !seen.has(doc.id));
      for (const doc of due) seen.add(doc.id);
      // Certificates are independent: several at once let their writes share commits.
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(d.concurrency, due.length) }, async () => {
          for (let i = next++; i < due.length; i = next++)
            await this.#evaluate(due[i]!, now, result, followersOfHolder);
        }),
      );
      // Done when this page ended before the due ones did, or brought nothing new.
      if (due.length === 0 || batch.length < d.batchSize || batch.some((doc) => doc.nextDueMs > now)) break;
    }
    if (result.published > 0 || result.skipped > 0) d.logger.info({ ...result }, 'lapse scan');
    return result;
  }

  /** Events a crash (or an unavailable log) left in marks' outboxes go out first. */
  async #flushAbandoned(): Promise<void> {
    const d = this.#deps;
    const cutoff = d.wallClock.now() - PENDING_GRACE_MS;
    for (const mark of await d.marks.find({ pending: true })) {
      if (mark.stagedAtMs <= cutoff) await publishOutbox({ bus: d.bus, logger: d.logger }, d.marks, mark);
    }
  }

  async #evaluate(
    doc: ScheduleDoc,
    now: number,
    result: ScanResult,
    followersOfHolder: (holder: string) => Promise<Follower[]>,
  ): Promise<void> {
    const d = this.#deps;
    result.evaluated++;
    const all = milestones(doc.certificate, await followersOfHolder(doc.holder));
    const done = new Set((await d.marks.find({ certificateId: doc.id })).map((m) => m.id));
    const plan = planLapses(all, done, now);
    const context: DecisionContext = { now, source: d.source, registry: d.registry };
    const mark = (milestone: Milestone, outcome: MarkInput['outcome']) =>
      handleChange(
        this.#marking,
        d.marks,
        milestone.key,
        (current, input: MarkInput) => decideMark(current, input, context),
        {
          // The mark is the milestone's claim: inserted once, whichever replica gets there first.
          load: () => ({
            certificate: doc.certificate,
            milestone,
            outcome,
            at: isoNow(d.clock),
            stagedAtMs: d.wallClock.now(),
          }),
          repeat: 'flush',
        },
      );
    for (const m of plan.skip) {
      if ((await mark(m, 'skipped')).kind === 'changed') result.skipped++;
    }
    for (const m of plan.emit) {
      // Unchanged: another replica claimed this milestone first and publishes it.
      if ((await mark(m, 'emitted')).kind === 'changed') result.published++;
    }
    const next = { scheduled: plan.nextDueMs !== undefined, nextDueMs: plan.nextDueMs ?? NEVER };
    // A concurrent change (a renewal applied meanwhile) rescheduled it already: leave that.
    await d.schedule.replaceIf({ ...doc, ...next, version: doc.version + 1 }, { version: doc.version });
  }
}

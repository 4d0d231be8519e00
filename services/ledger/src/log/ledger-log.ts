import { canonicalJson, type LedgerEntryContent, PdxError } from '@pdx/contracts';
import { frontier, leafHash, type NodeReader, nodeHash, rootAt } from '@pdx/merkle';
import { type Collection, StoreError } from '@pdx/store';
import { type EntryDoc, type NodeDoc, nodeId, PAGE, type PendingDoc, seqId } from './ledger-docs.js';

/** What an exemption's clause exempts on (ISO 28001 4.4). */
const BASIS: Record<PendingDoc['data']['clause'], string> = {
  '4.4(a)': 'verified compliant with ISO 28001 or ISO 20858',
  '4.4(b)':
    'covered by internationally accepted certificates or approvals (4.3) for its whole scope of service',
  '4.4(c)':
    'designated Authorized Economic Operator by a customs programme conforming to the WCO SAFE Framework',
};

/**
 * The canonical JSON (RFC 8785) of the entry recording `event` at `seq`: the bytes hashed.
 * A change of basis is one entry naming the new basis and, under `previous`, the old one.
 */
export function entryText(event: PendingDoc, seq: number): string {
  const d = event.data;
  const content: LedgerEntryContent = {
    seq,
    kind: event.kind,
    buyerId: d.buyerId,
    partnerId: d.partnerId,
    clause: d.clause,
    basis: BASIS[d.clause],
    certificateIds: [...d.certificateIds].sort(),
    ...(d.previous === undefined
      ? {}
      : {
          previous: {
            clause: d.previous.clause,
            basis: BASIS[d.previous.clause],
            certificateIds: [...d.previous.certificateIds].sort(),
          },
        }),
    decidedAt: d.at,
    policyVersion: d.policyVersion,
    causeEventId: event.id,
    decisionCause: d.cause,
  };
  return canonicalJson(content);
}

/** The stored log is not what it was: a changed, missing or inconsistent entry or node. */
export class LedgerIntegrityError extends PdxError {
  declare readonly code: 'PDX_LEDGER_INTEGRITY';
  constructor(message: string, options?: { cause?: unknown }) {
    super('PDX_LEDGER_INTEGRITY', message, { cause: options?.cause });
  }
}

const b64 = (h: Uint8Array) => Buffer.from(h).toString('base64');

/** Stored entries and interior nodes. Level-0 nodes are the entries' leaf hashes. */
export interface LogStore {
  entries: Collection<EntryDoc>;
  nodes: Collection<NodeDoc>;
}

/** Checks an entry document against itself: its position, its leaf hash over its text, its index fields. */
export function entryProblem(doc: EntryDoc, seq: number): string | undefined {
  if (doc.seq !== seq || doc.id !== seqId(seq)) return `entry ${seq} is stored under another position`;
  if (b64(leafHash(doc.entry)) !== doc.leafHash) return `entry ${seq} does not hash to its leaf hash`;
  let parsed: { seq?: unknown; causeEventId?: unknown; buyerId?: unknown; partnerId?: unknown };
  try {
    parsed = JSON.parse(doc.entry) as typeof parsed;
  } catch {
    return `entry ${seq} is not JSON`;
  }
  if (parsed.seq !== seq) return `entry ${seq} says it is entry ${String(parsed.seq)}`;
  if (
    parsed.causeEventId !== doc.eventId ||
    parsed.buyerId !== doc.buyerId ||
    parsed.partnerId !== doc.partnerId
  )
    return `entry ${seq} is indexed under another event, buyer or partner than it records`;
  return undefined;
}

/** Reads perfect-subtree hashes: level 0 from the entries, higher levels from the nodes. */
export function nodeReader(store: LogStore): NodeReader {
  return async (ids) =>
    Promise.all(
      ids.map(async ({ level, index }) => {
        const hash =
          level === 0
            ? (await store.entries.get(seqId(index)))?.leafHash
            : (await store.nodes.get(nodeId(level, index)))?.hash;
        if (hash === undefined) throw new LedgerIntegrityError(`node ${level}:${index} is missing`);
        return Buffer.from(hash, 'base64');
      }),
    );
}

/**
 * The perfect subtrees of a tree, biggest first, as a stack: appending a leaf pushes it and
 * merges equal neighbours into their parent, each merge a completed interior node.
 */
export class Frontier {
  readonly #stack: { level: number; index: number; hash: Uint8Array }[] = [];
  size: number;

  constructor(size: number, nodes: readonly { level: number; index: number; hash: Uint8Array }[]) {
    this.size = size;
    this.#stack.push(...nodes);
  }

  /** Loads the frontier of `size` from the store. */
  static async load(store: LogStore, size: number): Promise<Frontier> {
    const ids = frontier(size);
    const hashes = await nodeReader(store)(ids);
    return new Frontier(
      size,
      ids.map((id, i) => ({ ...id, hash: hashes[i]! })),
    );
  }

  /** Appends a leaf; returns the interior nodes it completed. */
  push(leaf: Uint8Array): { level: number; index: number; hash: Uint8Array }[] {
    const completed: { level: number; index: number; hash: Uint8Array }[] = [];
    let node = { level: 0, index: this.size, hash: leaf };
    for (;;) {
      const top = this.#stack.at(-1);
      if (!top || top.level !== node.level) break;
      this.#stack.pop();
      node = { level: node.level + 1, index: top.index / 2, hash: nodeHash(top.hash, node.hash) };
      completed.push(node);
    }
    this.#stack.push(node);
    this.size += 1;
    return completed;
  }

  /** The root hash (RFC 9162 MTH) of the tree so far. */
  root(): Uint8Array | undefined {
    let root: Uint8Array | undefined;
    for (const n of [...this.#stack].reverse()) root = root === undefined ? n.hash : nodeHash(n.hash, root);
    return root;
  }
}

/** Writes interior nodes, insert-if-absent; one already there must hold the same hash. */
export async function writeNodes(
  store: LogStore,
  nodes: readonly { level: number; index: number; hash: Uint8Array }[],
): Promise<void> {
  await Promise.all(
    nodes.map(async (n) => {
      const doc = {
        id: nodeId(n.level, n.index),
        level: n.level,
        page: Math.floor(n.index / PAGE),
        hash: b64(n.hash),
      };
      if ((await store.nodes.insert(doc)) === 'exists') {
        const stored = await store.nodes.get(doc.id);
        if (stored?.hash !== doc.hash) {
          throw new LedgerIntegrityError(`node ${doc.id} holds another hash than its children give`);
        }
      }
    }),
  );
}

/** Inserts an entry at its seq: 'inserted', 'taken' (an entry is there) or 'recorded' (the event is elsewhere). */
export async function insertEntry(
  store: LogStore,
  doc: EntryDoc,
): Promise<'inserted' | 'taken' | 'recorded'> {
  try {
    return (await store.entries.insert(doc)) === 'inserted' ? 'inserted' : 'taken';
  } catch (error) {
    if (error instanceof StoreError && error.code === 'PDX_STORE_DUPLICATE') return 'recorded';
    throw error;
  }
}

export function entryDoc(event: PendingDoc, seq: number, epoch = 0, writtenMs: number): EntryDoc {
  const entry = entryText(event, seq);
  return {
    id: seqId(seq),
    seq,
    page: Math.floor(seq / PAGE),
    eventId: event.id,
    buyerId: event.data.buyerId,
    partnerId: event.data.partnerId,
    entry,
    leafHash: b64(leafHash(entry)),
    epoch,
    writtenMs,
  };
}

/** The root of the stored tree at `size`, from O(log n) stored hashes. */
export function storedRoot(store: LogStore, size: number): Promise<Uint8Array> {
  return rootAt(nodeReader(store), size);
}

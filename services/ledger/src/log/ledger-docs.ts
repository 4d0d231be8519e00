import type { EventDataMap } from '@pdx/contracts';

/** One entry, kept as hashed; never updated or deleted. The id is the zero-padded seq. */
export interface EntryDoc {
  id: string;
  seq: number;
  /** seq / 1000, rounded down: reads a range of entries by equality. */
  page: number;
  /** The exemption event it records: unique, so an event is one entry however often it arrives. */
  eventId: string;
  buyerId: string;
  partnerId: string;
  /** The canonical JSON (RFC 8785) that was hashed. */
  entry: string;
  /** base64 SHA-256(0x00 ‖ entry). */
  leafHash: string;
  /** The lease term of the writer, and when it wrote (not hashed): shows that terms never overlap. */
  epoch: number;
  writtenMs: number;
}

/** The hash of a perfect subtree (2^level entries from index·2^level), stored as it completes. */
export interface NodeDoc {
  /** `<level>:<index>`. */
  id: string;
  level: number;
  /** index / 1000, rounded down, for reading a level in ranges. */
  page: number;
  hash: string;
}

/** An exemption event received, waiting for the sequencer (any replica records them). */
export interface PendingDoc {
  /** The event id. */
  id: string;
  receivedMs: number;
  appended: boolean;
  seq?: number;
  kind: 'exemption-granted' | 'exemption-revoked' | 'exemption-basis-changed';
  data: {
    buyerId: string;
    partnerId: string;
    clause: '4.4(a)' | '4.4(b)' | '4.4(c)';
    certificateIds: string[];
    /** exemption-basis-changed: what the exemption rested on until then. */
    previous?: { clause: '4.4(a)' | '4.4(b)' | '4.4(c)'; certificateIds: string[] };
    at: string;
    policyVersion: number;
    /** Why the review service decided: an event, a date passing, or the rules changing. */
    cause: EventDataMap['org.pdx.exemption.revoked.v1']['cause'];
  };
}

/** One term of the sequencer lease: only its holder appends, until it expires. */
export interface LeaseDoc {
  /** `sequencer-<zero-padded epoch>`: taking over inserts the next epoch, which only one can. */
  id: string;
  epoch: number;
  holder: string;
  expiresMs: number;
}

/** A signed tree head, as issued; every one is kept. */
export interface HeadDoc {
  /** `<zero-padded size>-<zero-padded timestamp ms>`. */
  id: string;
  treeSize: number;
  rootHash: string;
  timestamp: string;
  origin: string;
  jws: string;
  checkpoint: string;
}

export const entryDocs = {
  name: 'entries',
  indexes: [
    { fields: ['eventId'], unique: true },
    { fields: ['page'] },
    { fields: ['leafHash'] },
    { fields: ['buyerId', 'seq'] },
    { fields: ['partnerId', 'seq'] },
  ],
} as const;
export const nodeDocs = { name: 'nodes', indexes: [{ fields: ['level', 'page'] }] } as const;
export const pendingDocs = { name: 'pending', indexes: [{ fields: ['appended', 'receivedMs'] }] } as const;
// (appended, receivedMs) serves both the sequencer's queue and the pruning of old records.
export const leaseDocs = { name: 'leases', indexes: [{ fields: ['epoch'] }] } as const;
export const headDocs = { name: 'heads', indexes: [{ fields: ['treeSize'] }] } as const;

export const PAGE = 1000;
export const seqId = (seq: number) => String(seq).padStart(16, '0');
export const nodeId = (level: number, index: number) => `${level}:${index}`;

import type { Subscription } from '@pdx/bus';
import { PdxError, topics } from '@pdx/contracts';
import { loadSigningKey, type ServiceDefinition } from '@pdx/host';
import type { DocumentStore } from '@pdx/store';
import { ledgerRoutes } from './ledger-routes.js';
import { HeadSigner } from './log/heads.js';
import {
  type EntryDoc,
  entryDocs,
  type HeadDoc,
  headDocs,
  type LeaseDoc,
  leaseDocs,
  type NodeDoc,
  nodeDocs,
  type PendingDoc,
  pendingDocs,
} from './log/ledger-docs.js';
import { watchLedger } from './log/ledger-metrics.js';
import { type IntegrityReport, selfCheck } from './log/self-check.js';
import { Sequencer, type SequencerStore } from './log/sequencer.js';

export const LEDGER_GROUP = 'pdx-ledger';
export const LEDGER_KEY_FILE = 'ledger.key.json';

/** The ledger's collections in its own database. */
export async function openLedgerStore(store: DocumentStore): Promise<SequencerStore> {
  return {
    entries: await store.collection<EntryDoc>(entryDocs),
    nodes: await store.collection<NodeDoc>(nodeDocs),
    pending: await store.collection<PendingDoc>(pendingDocs),
    leases: await store.collection<LeaseDoc>(leaseDocs),
    heads: await store.collection<HeadDoc>(headDocs),
  };
}

/** The exemption events the ledger records, and the kind of entry each becomes. */
const exemptionKinds = {
  'org.pdx.exemption.granted.v1': 'exemption-granted',
  'org.pdx.exemption.revoked.v1': 'exemption-revoked',
  'org.pdx.exemption.basis-changed.v1': 'exemption-basis-changed',
} as const satisfies Record<string, PendingDoc['kind']>;

/**
 * ledger: the verifiable exemption ledger. Every exemption.granted.v1, exemption.revoked.v1
 * and exemption.basis-changed.v1 becomes one entry of an append-only RFC 9162 Merkle log; one
 * replica at a time (the lease holder) appends and signs tree heads; anyone can read heads,
 * entries and proofs.
 */
export const ledgerService: ServiceDefinition = {
  name: 'ledger',
  async create({ bus, store, clock, wallClock, logger, config, mode, dataDir, metrics }) {
    const ledger = await openLedgerStore(store);
    const origin = config.string('PDX_LEDGER_ORIGIN', 'pdx.local/exemption-ledger');
    if (/[\s+]/u.test(origin))
      throw new PdxError('PDX_CONFIG_INVALID', 'PDX_LEDGER_ORIGIN is one word without "+" (a log identity)');
    const key = await loadSigningKey(config, mode, dataDir, logger, {
      purpose: 'the ledger signs its tree heads with it (every replica the same key)',
      inline: 'PDX_LEDGER_KEY',
      file: 'PDX_LEDGER_KEY_FILE',
      embeddedFile: LEDGER_KEY_FILE,
      kidPrefix: 'ledger',
      algorithms: ['EdDSA'],
    });
    const signer = new HeadSigner(origin, key.privateJwk, key.publicJwk);
    watchLedger(metrics, ledger.heads, clock);
    const sequencer = new Sequencer(
      ledger,
      signer,
      { clock, wallClock },
      logger.child({ component: 'sequencer' }),
      {
        leaseMs: config.int('PDX_LEDGER_LEASE_MS', 10_000, { min: 500, max: 600_000 }),
        intervalMs: config.int('PDX_LEDGER_INTERVAL_MS', 200, { min: 10, max: 60_000 }),
        batch: config.int('PDX_LEDGER_BATCH', 500, { min: 1, max: 5_000 }),
        headMinIntervalMs: config.int('PDX_LEDGER_HEAD_MIN_INTERVAL_MS', 1_000, { min: 0, max: 3_600_000 }),
        headIntervalMs: config.int('PDX_LEDGER_HEAD_INTERVAL_MS', 60_000, { min: 100, max: 86_400_000 }),
        pendingRetentionMs:
          config.int('PDX_LEDGER_PENDING_RETENTION_DAYS', 7, { min: 1, max: 3650 }) * 86_400_000,
      },
    );
    const access = config.oneOf('PDX_LEDGER_ACCESS', ['public', 'authenticated'] as const, 'public');
    const checking = config.oneOf('PDX_LEDGER_SELF_CHECK', ['full', 'off'] as const, 'full');
    let integrity: IntegrityReport | undefined;
    let subscription: Subscription | undefined;
    return {
      name: 'ledger',
      publicKeys: [key.publicJwk],
      routes: ledgerRoutes({
        store: ledger,
        origin,
        verifierKey: signer.verifierKey(),
        publicJwk: key.publicJwk,
        integrity: () => integrity,
        access,
      }),
      async start() {
        // Any replica records what arrives; only the lease holder appends it.
        subscription = await bus.subscribe({
          group: LEDGER_GROUP,
          topics: [topics.statuses],
          handler: async (event) => {
            if (
              event.type !== 'org.pdx.exemption.granted.v1' &&
              event.type !== 'org.pdx.exemption.revoked.v1' &&
              event.type !== 'org.pdx.exemption.basis-changed.v1'
            )
              return;
            await ledger.pending.insert({
              id: event.id,
              receivedMs: clock.now(),
              appended: false,
              kind: exemptionKinds[event.type],
              data: {
                buyerId: event.data.buyerId,
                partnerId: event.data.partnerId,
                clause: event.data.clause,
                certificateIds: event.data.certificateIds,
                ...('previous' in event.data ? { previous: event.data.previous } : {}),
                at: event.data.at,
                policyVersion: event.data.policyVersion,
                cause: event.data.cause,
              },
            } satisfies PendingDoc);
          },
        });
        if (checking === 'full') {
          integrity = await selfCheck(ledger, key.publicJwk, origin, () => clock.now());
          if (integrity.ok) {
            logger.info({ entries: integrity.entries, heads: integrity.heads }, 'ledger self-check passed');
          } else {
            logger.error({ problems: integrity.problems }, 'ledger self-check FAILED: not appending');
            sequencer.halt(integrity.problems[0] ?? 'self-check failed');
          }
        }
        sequencer.start();
      },
      async stop() {
        await subscription?.stop();
        await sequencer.stop();
      },
    };
  },
};

export type { EntryDoc, HeadDoc, LeaseDoc, NodeDoc };

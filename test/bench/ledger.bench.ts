/**
 * `npm run bench` (part 6): the exemption ledger on the embedded store, grown to
 * `BENCH_LEDGER_ENTRIES` entries (default 1,000,000) by its sequencer (entries, nodes and
 * bookkeeping written durably, tree heads signed), next to a baseline measured in the same
 * run: raw RFC 9162 node hashing, SHA-256(0x01 ‖ left ‖ right). At 10k, 100k and 1M entries
 * it measures inclusion and consistency proof generation from the stored nodes and counts
 * the nodes each proof reads: O(log n).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey } from '@pdx/crypto';
import {
  HeadSigner,
  nodeReader,
  openLedgerStore,
  type PendingDoc,
  Sequencer,
  type SequencerStore,
  selfCheck,
  seqId,
} from '@pdx/ledger';
import {
  consistencyProof,
  inclusionProof,
  type NodeReader,
  nodeHash,
  rootAt,
  verifyInclusion,
} from '@pdx/merkle';
import { ManualClock, silentLogger, systemClock } from '@pdx/runtime';
import { openEmbeddedStore } from '@pdx/store';

const TOTAL = Number(process.env.BENCH_LEDGER_ENTRIES ?? 1_000_000);
const CHECKPOINTS = [10_000, 100_000, 1_000_000].filter((n) => n <= TOTAL);
const BATCH = 5_000;
const ORIGIN = 'bench.pdx/exemption-ledger';

function hashingRate(): number {
  const a = Buffer.alloc(32, 1);
  let h: Uint8Array = Buffer.alloc(32, 2);
  for (let i = 0; i < 50_000; i++) h = nodeHash(a, h);
  const n = 1_000_000;
  const t = performance.now();
  for (let i = 0; i < n; i++) h = nodeHash(a, h);
  return n / ((performance.now() - t) / 1000);
}

const pending = (i: number): PendingDoc => ({
  id: `bench-event-${i}`,
  receivedMs: i,
  appended: false,
  kind: i % 5 === 4 ? 'exemption-revoked' : 'exemption-granted',
  data: {
    buyerId: `buyer-${i % 50}`,
    partnerId: `partner-${i % 20_000}`,
    clause: i % 3 === 0 ? '4.4(b)' : '4.4(c)',
    certificateIds: [`eu-aeo-aeos~${String(i).padStart(20, '0')}`],
    at: new Date(Date.UTC(2027, 0, 1) + i * 1000).toISOString(),
    policyVersion: 1,
    cause: { kind: 'event', eventId: `cause-${i}` },
  },
});

/** Proof generation at size n: mean latency over `samples` random proofs, and nodes read per proof. */
async function proofLatency(store: SequencerStore, n: number, samples = 500) {
  let reads = 0;
  const base = nodeReader(store);
  const counting: NodeReader = async (ids) => {
    reads += ids.length;
    return base(ids);
  };
  const root = await rootAt(base, n);
  let t = performance.now();
  for (let i = 0; i < samples; i++) {
    const seq = Math.floor(Math.random() * n);
    const proof = await inclusionProof(counting, seq, n);
    if (i < 20) {
      const leaf = Buffer.from((await store.entries.get(seqId(seq)))!.leafHash, 'base64');
      if (!verifyInclusion(leaf, seq, n, proof, root).ok) throw new Error(`proof of ${seq} fails`);
    }
  }
  const inclusionMs = (performance.now() - t) / samples;
  const inclusionReads = reads / samples;
  reads = 0;
  t = performance.now();
  for (let i = 0; i < samples; i++)
    await consistencyProof(counting, 1 + Math.floor(Math.random() * (n - 1)), n);
  return {
    inclusionMs,
    inclusionReads,
    consistencyMs: (performance.now() - t) / samples,
    consistencyReads: reads / samples,
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-bench-ledger-'));
  const db = openEmbeddedStore({ dir, database: 'ledger' });
  try {
    const store = await openLedgerStore(db);
    const key = await generateSigningKey('EdDSA', 'bench-ledger');
    const sequencer = new Sequencer(
      store,
      new HeadSigner(ORIGIN, key.privateJwk, key.publicJwk),
      { clock: new ManualClock('2027-06-01T00:00:00Z'), wallClock: systemClock },
      silentLogger(),
      { leaseMs: 3_600_000, intervalMs: 1000, batch: BATCH, headMinIntervalMs: 1000, headIntervalMs: 60_000 },
    );
    const hashes = hashingRate();
    console.log(`ledger benchmark: ${TOTAL.toLocaleString('en')} entries, embedded store\n`);
    console.log(
      `raw node hashing, SHA-256(0x01|l|r) (baseline)   ${Math.round(hashes).toLocaleString('en')} hashes/s`,
    );

    let appendedMs = 0;
    let size = 0;
    for (const checkpoint of CHECKPOINTS) {
      // Events arrive (recorded as pending, as the consumer does), then the sequencer appends.
      for (let i = size; i < checkpoint; i += BATCH) {
        await Promise.all(
          Array.from({ length: Math.min(BATCH, checkpoint - i) }, (_, k) =>
            store.pending.insert(pending(i + k)),
          ),
        );
        const t = performance.now();
        while ((sequencer.size ?? 0) < Math.min(i + BATCH, checkpoint)) await sequencer.pass();
        appendedMs += performance.now() - t;
      }
      size = checkpoint;
      const rate = size / (appendedMs / 1000);
      const p = await proofLatency(store, size);
      console.log(
        `at ${size.toLocaleString('en').padStart(9)} entries: append ${Math.round(rate).toLocaleString('en')} entries/s` +
          ` (ratio ${(rate / hashes).toFixed(4)}x)` +
          ` | inclusion proof ${p.inclusionMs.toFixed(3)} ms, ${p.inclusionReads.toFixed(1)} nodes` +
          ` | consistency proof ${p.consistencyMs.toFixed(3)} ms, ${p.consistencyReads.toFixed(1)} nodes`,
      );
    }
    const heads = await store.heads.count({});
    console.log(`\n${heads} tree heads signed; every entry and node durable (WAL, synchronous=FULL)`);
    const t = performance.now();
    const report = await selfCheck(store, key.publicJwk, ORIGIN, () => Date.now());
    if (!report.ok) throw new Error(`self-check failed: ${report.problems.join('; ')}`);
    console.log(
      `self-check (re-derive the tree from every entry, compare every node and head): ${((performance.now() - t) / 1000).toFixed(1)} s for ${report.entries.toLocaleString('en')} entries, ${report.nodes.toLocaleString('en')} nodes, ${report.heads} heads`,
    );
    await sequencer.stop();
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey } from '@pdx/crypto';
import { consistencyProof, inclusionProof, leafHash, verifyConsistency, verifyInclusion } from '@pdx/merkle';
import { ManualClock, silentLogger, systemClock } from '@pdx/runtime';
import { type DocumentStore, openEmbeddedStore } from '@pdx/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HeadSigner } from './log/heads.js';
import { type PendingDoc, seqId } from './log/ledger-docs.js';
import { entryDoc, nodeReader, storedRoot } from './log/ledger-log.js';
import { selfCheck } from './log/self-check.js';
import { Sequencer, type SequencerStore } from './log/sequencer.js';
import { openLedgerStore } from './service.js';

const ORIGIN = 'test.pdx/exemption-ledger';

const pending = (i: number, receivedMs = Date.parse('2027-01-01T00:00:00Z') + i): PendingDoc => ({
  id: `event-${i}`,
  receivedMs,
  appended: false,
  kind: i % 3 === 0 ? 'exemption-revoked' : 'exemption-granted',
  data: {
    buyerId: `buyer-${i % 4}`,
    partnerId: `partner-${i}`,
    clause: '4.4(c)',
    certificateIds: [`eu-aeo-aeos~${String(i).padStart(20, '0')}`],
    at: new Date(Date.UTC(2027, 0, 1) + i * 1000).toISOString(),
    policyVersion: 0,
    cause: { kind: 'event', eventId: `cause-${i}` },
  },
});

describe('the ledger on the embedded store', () => {
  let dir: string;
  let db: DocumentStore;
  let store: SequencerStore;
  let signer: HeadSigner;
  let publicJwk: Awaited<ReturnType<typeof generateSigningKey>>['publicJwk'];
  const clock = new ManualClock('2027-01-01T00:00:00Z');
  const sequencers: Sequencer[] = [];
  const sequencer = (options: Partial<ConstructorParameters<typeof Sequencer>[4]> = {}) => {
    const s = new Sequencer(store, signer, { clock, wallClock: systemClock }, silentLogger(), {
      leaseMs: 600,
      intervalMs: 20,
      batch: 7,
      headMinIntervalMs: 0,
      headIntervalMs: 60_000,
      ...options,
    });
    sequencers.push(s);
    return s;
  };
  const add = async (from: number, to: number) => {
    for (let i = from; i < to; i++) await store.pending.insert(pending(i));
  };
  const untilSize = async (s: Sequencer, size: number) => {
    for (let i = 0; i < 200 && (s.size ?? -1) < size; i++) await s.pass();
    expect(s.size).toBe(size);
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pdx-ledger-'));
    db = openEmbeddedStore({ dir, database: 'ledger' });
    store = await openLedgerStore(db);
    const key = await generateSigningKey('EdDSA', 'ledger-test');
    publicJwk = key.publicJwk;
    signer = new HeadSigner(ORIGIN, key.privateJwk, key.publicJwk);
  });
  afterEach(async () => {
    for (const s of sequencers.splice(0)) await s.stop();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('appends each event once, in the order received, and signs heads whose proofs verify', async () => {
    const s = sequencer();
    await add(0, 40);
    await store.pending.insert(pending(5)); // the same event again: no second entry
    await untilSize(s, 40);
    expect(await store.entries.count({})).toBe(40);
    const entry = await store.entries.get(seqId(12));
    expect(JSON.parse(entry!.entry)).toMatchObject({ seq: 12, causeEventId: 'event-12', clause: '4.4(c)' });
    expect(entry!.entry).toBe(
      // RFC 8785: keys sorted, no spaces.
      `{"basis":"designated Authorized Economic Operator by a customs programme conforming to the WCO SAFE Framework","buyerId":"buyer-0","causeEventId":"event-12","certificateIds":["eu-aeo-aeos~00000000000000000012"],"clause":"4.4(c)","decidedAt":"2027-01-01T00:00:12.000Z","decisionCause":{"eventId":"cause-12","kind":"event"},"kind":"exemption-revoked","partnerId":"partner-12","policyVersion":0,"seq":12}`,
    );
    expect(entry!.leafHash).toBe(leafHash(entry!.entry).toString('base64'));
    const [head] = await store.heads.find({}, { sort: { field: 'id', order: -1 }, limit: 1 });
    expect(head!.treeSize).toBe(40);
    const root = Buffer.from(head!.rootHash, 'base64');
    expect(Buffer.from(await storedRoot(store, 40)).equals(root)).toBe(true);
    const read = nodeReader(store);
    for (const seq of [0, 12, 39]) {
      const e = await store.entries.get(seqId(seq));
      const proof = await inclusionProof(read, seq, 40);
      expect(verifyInclusion(Buffer.from(e!.leafHash, 'base64'), seq, 40, proof, root)).toEqual({ ok: true });
    }
    const heads = await store.heads.find({}, { sort: { field: 'id', order: 1 } });
    expect(heads.length).toBeGreaterThan(1);
    const first = heads[0]!;
    const proof = await consistencyProof(read, first.treeSize, 40);
    expect(verifyConsistency(first.treeSize, 40, Buffer.from(first.rootHash, 'base64'), root, proof)).toEqual(
      { ok: true },
    );
    expect((await selfCheck(store, publicJwk, ORIGIN, () => clock.now())).ok).toBe(true);
  });

  it('forgets appended events after the retention, and a late redelivery is still one entry', async () => {
    const s = sequencer({ pendingRetentionMs: 7 * 86_400_000 });
    await add(0, 12);
    await untilSize(s, 12);
    expect(await store.pending.count({ appended: true })).toBe(12);
    clock.set(clock.now() + 8 * 86_400_000);
    await store.pending.insert(pending(12, clock.now()));
    await untilSize(s, 13);
    expect(await store.pending.count({})).toBe(1);
    await store.pending.insert(pending(3)); // delivered again, long after
    await s.pass();
    expect(s.size).toBe(13);
    expect(await store.entries.count({})).toBe(13);
    expect((await store.pending.get('event-3'))?.appended).toBe(true);
  });

  it('lets one replica append at a time, and hands over when the leader stops or dies', async () => {
    const a = sequencer();
    const b = sequencer();
    await add(0, 20);
    await a.pass();
    await b.pass();
    expect(a.leading).toBe(true);
    expect(b.leading).toBe(false);
    await untilSize(a, 20);
    // A clean stop hands the lease back at once.
    await a.stop();
    await add(20, 30);
    await untilSize(b, 30);
    expect(b.leading).toBe(true);
    // b dies without handing back: c waits for the lease to expire, then goes on.
    const c = sequencer();
    await add(30, 45);
    await c.pass();
    expect(c.leading).toBe(false);
    await new Promise((r) => setTimeout(r, 700));
    await untilSize(c, 45);
    // b wakes up: its lease is gone, so it does not append.
    await b.pass();
    expect(b.leading).toBe(false);
    const all = await store.entries.find({}, { sort: { field: 'seq', order: 1 } });
    expect(all.map((e) => e.seq)).toEqual([...Array(45).keys()]);
    expect(new Set(all.map((e) => e.eventId)).size).toBe(45);
    expect((await selfCheck(store, publicJwk, ORIGIN, () => clock.now())).ok).toBe(true);
  });

  it('takes in the entries of a batch a previous leader wrote but did not finish', async () => {
    const a = sequencer();
    await add(0, 10);
    await untilSize(a, 10);
    await a.stop();
    // As if a leader wrote entries 10 and 11 and died before their nodes and bookkeeping.
    await add(10, 14);
    await store.entries.insert(entryDoc(pending(11), 10, 0, clock.now()));
    await store.entries.insert(entryDoc(pending(10), 11, 0, clock.now()));
    // Not tampering: the self-check covers what heads signed, and this is beyond them.
    expect((await selfCheck(store, publicJwk, ORIGIN, () => clock.now())).ok).toBe(true);
    const b = sequencer();
    await untilSize(b, 14);
    const all = await store.entries.find({}, { sort: { field: 'seq', order: 1 } });
    expect(all.map((e) => e.eventId).slice(10)).toEqual(['event-11', 'event-10', 'event-12', 'event-13']);
    expect((await store.pending.find({ appended: false })).length).toBe(0);
    expect((await selfCheck(store, publicJwk, ORIGIN, () => clock.now())).ok).toBe(true);
  });

  it('detects an entry or node changed or removed in the database, and stops appending', async () => {
    const s = sequencer();
    await add(0, 30);
    await untilSize(s, 30);
    const check = () => selfCheck(store, publicJwk, ORIGIN, () => clock.now());
    expect((await check()).ok).toBe(true);

    const original = (await store.entries.get(seqId(7)))!;
    const forged = original.entry.replace('"clause":"4.4(c)"', '"clause":"4.4(a)"');
    await store.entries.put({ ...original, entry: forged });
    expect((await check()).problems).toEqual(['entry 7 does not hash to its leaf hash']);
    // Re-hashing the forged entry does not help: the tree no longer has the signed root.
    await store.entries.put({ ...original, entry: forged, leafHash: leafHash(forged).toString('base64') });
    const rehashed = await check();
    expect(rehashed.ok).toBe(false);
    expect(rehashed.problems[0]).toMatch(/node 1:3 is not the hash of its children/);
    await store.entries.put(original);
    expect((await check()).ok).toBe(true);

    const node = (await store.nodes.get('2:1'))!;
    await store.nodes.put({ ...node, hash: Buffer.alloc(32).toString('base64') });
    expect((await check()).problems).toEqual(['node 2:1 is not the hash of its children']);
    await store.nodes.put(node);

    const last = (await store.entries.get(seqId(29)))!;
    await store.entries.delete(seqId(29));
    expect((await check()).problems.join('\n')).toMatch(
      /^entry 29 is missing: head \d+-\d+ covers 30 entries$/m,
    );
    await store.entries.insert(last);
    const middle = (await store.entries.get(seqId(3)))!;
    await store.entries.delete(seqId(3));
    expect((await check()).problems[0]).toBe('entry 3 is missing');
    await store.entries.insert(middle);
    expect((await check()).ok).toBe(true);

    // A leader that finds the log inconsistent stops appending.
    await store.nodes.put({ ...(await store.nodes.get('2:6'))!, hash: Buffer.alloc(32).toString('base64') });
    await s.stop();
    const next = sequencer();
    await add(30, 31);
    await next.pass();
    expect(next.halted).toMatch(/^the stored tree no longer has the root of the latest head/);
    expect(await store.entries.count({})).toBe(30);
  });
});

describe('the ledger service', () => {
  it('is public by default, and asks for a token with PDX_LEDGER_ACCESS=authenticated', async () => {
    const { createHost } = await import('@pdx/host');
    const { ledgerService } = await import('./service.js');
    for (const access of ['public', 'authenticated']) {
      const dir = mkdtempSync(join(tmpdir(), 'pdx-ledger-host-'));
      const host = await createHost({
        name: 'pdx-ledger',
        services: [ledgerService],
        env: { PDX_DATA_DIR: dir, PORT: '0', PDX_LEDGER_ACCESS: access, PDX_LEDGER_INTERVAL_MS: '20' },
        logger: silentLogger(),
      });
      await host.start();
      try {
        const head = await (async () => {
          for (let i = 0; i < 100; i++) {
            const res = await host.http.inject({ method: 'GET', url: '/v1/ledger/heads/latest' });
            if (res.statusCode !== 404) return res;
            await new Promise((r) => setTimeout(r, 20));
          }
          throw new Error('no head');
        })();
        if (access === 'public') {
          expect(head.statusCode).toBe(200);
          expect(head.json()).toMatchObject({ treeSize: 0, origin: 'pdx.local/exemption-ledger' });
        } else {
          expect(head.statusCode).toBe(401);
          expect(head.headers['content-type']).toContain('application/problem+json');
        }
      } finally {
        await host.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

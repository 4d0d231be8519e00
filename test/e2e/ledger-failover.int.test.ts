import { randomUUID } from 'node:crypto';
import { KafkaEventBus } from '@pdx/bus';
import { eventually } from '@pdx/bus/testing';
import { createEvent, type PdxEvent, SchemaRegistry } from '@pdx/contracts';
import { generateSigningKey } from '@pdx/crypto';
import { leafHash, verifyConsistency } from '@pdx/merkle';
import { silentLogger } from '@pdx/runtime';
import mongoose from 'mongoose';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { type RunningService, spawnService } from './spawn-service.js';

const registry = new SchemaRegistry();
const brokers = inject('kafkaBrokers');
const mongodbUri = inject('mongodbUri');

describe('ledger: two replicas, the leader killed mid-stream', () => {
  const run = randomUUID().slice(0, 8);
  const prefix = `ledger${run}.`;
  const dbPrefix = `ledger${run}_`;
  const replicas: RunningService[] = [];
  let conn: mongoose.Connection | undefined;

  afterAll(async () => {
    for (const r of replicas) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await conn?.useDb(`${dbPrefix}ledger`).dropDatabase();
    await conn?.close();
  });

  it('never appends from two replicas at once, and the survivor takes over cleanly', async () => {
    const key = await generateSigningKey('EdDSA', 'ledger-failover');
    const env = {
      KAFKA_BROKERS: brokers,
      MONGODB_URI: mongodbUri,
      KAFKA_TOPIC_PREFIX: prefix,
      MONGODB_DATABASE_PREFIX: dbPrefix,
      KAFKA_PARTITIONS: '3',
      PDX_LEDGER_KEY: JSON.stringify(key.privateJwk),
      // Short, so the survivor takes over soon after the kill; long enough that a loaded machine's
      // slower database round trips do not cost the survivor its own lease again and again.
      PDX_LEDGER_LEASE_MS: '5000',
      PDX_LEDGER_INTERVAL_MS: '50',
      PDX_LEDGER_BATCH: '20',
      PDX_LEDGER_HEAD_MIN_INTERVAL_MS: '0',
    };
    const publisher = new KafkaEventBus({
      brokers: brokers.split(','),
      clientId: 'ledger-failover-test',
      registry,
      logger: silentLogger(),
      topicPrefix: prefix,
      partitions: 3,
    });
    await publisher.start();
    conn = await mongoose.createConnection(mongodbUri).asPromise();
    const db = conn.useDb(`${dbPrefix}ledger`);
    try {
      for (let i = 0; i < 2; i++) replicas.push(await spawnService('services/ledger/dist/main.js', env));
      const total = 300;
      const events: PdxEvent[] = Array.from({ length: total }, (_, n) =>
        createEvent(registry, {
          type: n % 4 === 3 ? 'org.pdx.exemption.revoked.v1' : 'org.pdx.exemption.granted.v1',
          subject: `partner-${n % 50}`,
          source: 'urn:pdx:pdx:review',
          time: Date.UTC(2027, 0, 1) + n * 1000,
          data: {
            buyerId: `buyer-${n % 5}`,
            partnerId: `partner-${n % 50}`,
            clause: '4.4(c)',
            certificateIds: [`eu-aeo-aeos~${String(n).padStart(20, '0')}`],
            at: new Date(Date.UTC(2027, 0, 1) + n * 1000).toISOString(),
            policyVersion: 0,
            cause: { kind: 'event', eventId: randomUUID() },
          },
        }),
      );
      const entries = () => db.collection('entries').countDocuments();
      const leaderIndex = () =>
        replicas.findIndex((r) => r.child.exitCode === null && r.output().includes('ledger lease taken'));
      let killed = -1;
      for (let start = 0; start < total; start += 10) {
        await publisher.publish(events.slice(start, start + 10));
        if (killed < 0 && start >= total / 3 && (await entries()) > 0) {
          killed = leaderIndex();
          expect(killed).toBeGreaterThanOrEqual(0);
          replicas[killed]!.child.kill('SIGKILL');
        }
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(killed).toBeGreaterThanOrEqual(0);
      expect(await replicas[killed]!.exited).toBe('SIGKILL');
      const survivor = replicas[1 - killed]!;

      await eventually(async () => expect(await entries()).toBe(total), 120_000);
      const docs = await db.collection('entries').find({}).sort({ seq: 1 }).toArray();
      // Every position once, every event once.
      expect(docs.map((d) => d.seq)).toEqual([...Array(total).keys()]);
      expect(new Set(docs.map((d) => d.eventId))).toEqual(new Set(events.map((e) => e.id)));
      for (const d of docs) expect(leafHash(String(d.entry)).toString('base64')).toBe(d.leafHash);
      // Lease terms never overlap: every entry of one term was written before any of the next
      // (an interrupted batch of the dead holder may be taken in later, at its positions).
      const terms = new Map<number, { first: number; last: number }>();
      for (const d of docs) {
        const t = terms.get(Number(d.epoch)) ?? { first: Number.POSITIVE_INFINITY, last: 0 };
        terms.set(Number(d.epoch), {
          first: Math.min(t.first, Number(d.writtenMs)),
          last: Math.max(t.last, Number(d.writtenMs)),
        });
      }
      const ordered = [...terms].sort(([a], [b]) => a - b).map(([, t]) => t);
      expect(ordered.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < ordered.length; i++) expect(ordered[i - 1]!.last).toBeLessThan(ordered[i]!.first);
      expect(survivor.output()).toContain('ledger lease taken');

      // Every head the two replicas signed extends the one before.
      const latest = await eventually(async () => {
        const res = await fetch(`${survivor.url}/v1/ledger/heads/latest`);
        const head = (await res.json()) as { treeSize: number; rootHash: string };
        expect(head.treeSize).toBe(total);
        return head;
      }, 30_000);
      const heads = await db.collection('heads').find({}).sort({ _id: 1 }).toArray();
      expect(heads.length).toBeGreaterThan(2);
      for (const h of heads.filter((x) => Number(x.treeSize) > 0 && Number(x.treeSize) < total)) {
        const res = await fetch(
          `${survivor.url}/v1/ledger/proofs/consistency?first=${String(h.treeSize)}&second=${total}`,
        );
        const { proof } = (await res.json()) as { proof: string[] };
        const verdict = verifyConsistency(
          Number(h.treeSize),
          total,
          Buffer.from(String(h.rootHash), 'base64'),
          Buffer.from(latest.rootHash, 'base64'),
          proof.map((p) => Buffer.from(p, 'base64')),
        );
        expect(verdict, `head ${String(h._id)}`).toEqual({ ok: true });
      }

      survivor.child.kill('SIGTERM');
      expect(await survivor.exited).toBe(0);
    } finally {
      await publisher.close();
    }
  }, 240_000);
});

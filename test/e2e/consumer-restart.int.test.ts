import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaEventBus } from '@pdx/bus';
import { eventually, samplePartyRegistered } from '@pdx/bus/testing';
import { SchemaRegistry } from '@pdx/contracts';
import type { PrivateJwk } from '@pdx/crypto';
import { DIRECTORY_GROUP } from '@pdx/directory';
import { silentLogger } from '@pdx/runtime';
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { obtainToken, viaUrl } from './access-tokens.js';
import { acme } from './party-slice.js';
import { type RunningService, spawnService } from './spawn-service.js';

const registry = new SchemaRegistry();
const brokers = inject('kafkaBrokers');
const mongodbUri = inject('mongodbUri');

interface Timeline {
  /** From the restart (spawn) to the first answer of each kind, in ms. */
  healthz: number;
  readyz: number;
  consumed: number;
  /** Each distinct /readyz 503 body seen on the way, in order. */
  notReady: unknown[];
}

/**
 * Polls /healthz and /readyz of the process being started at `url()` (undefined until it
 * listens) and `consumed()` until each has answered, timing them from `t0`.
 */
async function timeline(
  t0: number,
  url: () => string | undefined,
  consumed: () => Promise<boolean>,
): Promise<Timeline> {
  const seen: Partial<Timeline> & { notReady: unknown[] } = { notReady: [] };
  await eventually(async () => {
    const base = url();
    if (base) {
      if (seen.healthz === undefined && (await probe(`${base}/healthz`)).status === 200) {
        seen.healthz = performance.now() - t0;
      }
      if (seen.readyz === undefined) {
        const ready = await probe(`${base}/readyz`);
        if (ready.status === 200) seen.readyz = performance.now() - t0;
        else if (
          ready.status === 503 &&
          JSON.stringify(seen.notReady.at(-1)) !== JSON.stringify(ready.body)
        ) {
          seen.notReady.push(ready.body);
        }
      }
    }
    if (seen.consumed === undefined && (await consumed())) seen.consumed = performance.now() - t0;
    expect(seen.healthz).toBeDefined();
    expect(seen.readyz).toBeDefined();
    expect(seen.consumed).toBeDefined();
  }, 120_000);
  return seen as Timeline;
}

async function probe(url: string): Promise<{ status: number; body?: unknown }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return { status: res.status, body: await res.json() };
  } catch {
    return { status: 0 };
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const describeTimeline = (t: Timeline) =>
  `/healthz 200 after ${seconds(t.healthz)}, /readyz 200 after ${seconds(t.readyz)}, first event consumed after ${seconds(t.consumed)}`;

/**
 * Drill: a consumer service (directory) killed with SIGKILL and started again at once. Its dead
 * member stays in the consumer group until its session times out, and the new one cannot
 * join before: the process must serve /healthz meanwhile and say why it is not ready.
 */
describe('drill: a consumer service killed and restarted (Kafka, FerretDB)', () => {
  const run = randomUUID().slice(0, 8);
  const prefix = `restart${run}.`;
  const dbPrefix = `restart${run}_`;
  const env: Record<string, string> = {
    KAFKA_BROKERS: brokers,
    MONGODB_URI: mongodbUri,
    KAFKA_TOPIC_PREFIX: prefix,
    MONGODB_DATABASE_PREFIX: dbPrefix,
    KAFKA_PARTITIONS: '3',
    // Status checks access tokens with the exchange's JWKS (fetched only when a token comes).
    PDX_AUTH_JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
    ...(process.env.DRILL_SESSION_TIMEOUT_MS
      ? { KAFKA_SESSION_TIMEOUT_MS: process.env.DRILL_SESSION_TIMEOUT_MS }
      : {}),
  };
  const processes: RunningService[] = [];
  let conn: mongoose.Connection | undefined;
  let publisher: KafkaEventBus | undefined;

  afterAll(async () => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await publisher?.close();
    await conn?.useDb(`${dbPrefix}directory`).dropDatabase();
    await conn?.close();
  });

  it('serves /healthz at once, /readyz once it has joined, and consumes again', async () => {
    publisher = new KafkaEventBus({
      brokers: brokers.split(','),
      clientId: 'restart-drill',
      registry,
      logger: silentLogger(),
      topicPrefix: prefix,
      partitions: 3,
    });
    await publisher.start();
    conn = await mongoose.createConnection(mongodbUri).asPromise();
    const applied = () => conn!.useDb(`${dbPrefix}directory`).collection('applied_events').countDocuments();
    const admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const first = await spawnService('services/directory/dist/main.js', env);
      processes.push(first);
      await publisher.publish([samplePartyRegistered(registry, 'restart-0')]);
      await eventually(async () => expect(await applied()).toBe(1), 90_000);
      await eventually(async () => expect((await probe(`${first.url}/readyz`)).status).toBe(200));

      const results: Record<string, Timeline> = {};
      for (const [n, how] of [
        [1, 'SIGKILL'],
        [2, 'SIGTERM'],
      ] as const) {
        const victim = processes.at(-1)!;
        victim.child.kill(how);
        expect(await victim.exited).toBe(how === 'SIGKILL' ? 'SIGKILL' : 0);
        const t0 = performance.now();
        let restarted: RunningService | undefined;
        const starting = spawnService('services/directory/dist/main.js', env).then((s) => {
          restarted = s;
          processes.push(s);
        });
        await publisher.publish([samplePartyRegistered(registry, `restart-${n}`)]);
        results[how] = await timeline(
          t0,
          () => restarted?.url,
          async () => (await applied()) === n + 1,
        );
        await starting;
      }
      console.log(`[drill] directory killed (SIGKILL) and restarted: ${describeTimeline(results.SIGKILL!)}`);
      console.log(`[drill] directory stopped (SIGTERM) and restarted: ${describeTimeline(results.SIGTERM!)}`);
      const killed = results.SIGKILL!;
      for (const body of new Set([killed.notReady[0], killed.notReady.at(-1)])) {
        console.log(`[drill] /readyz on the way: ${JSON.stringify(body)}`);
      }
      expect(killed.healthz).toBeLessThan(killed.readyz);
      expect(killed.notReady).toContainEqual({
        status: 'not-ready',
        checks: expect.objectContaining({
          startup: 'ok',
          consumers: expect.stringMatching(new RegExp(`^${DIRECTORY_GROUP}: joining its consumer group for`)),
        }),
      });
      const { groups } = await admin.describeGroups([`${prefix}${DIRECTORY_GROUP}`]);
      expect(groups[0]?.members).toHaveLength(1);
      processes.at(-1)!.child.kill('SIGTERM');
      expect(await processes.at(-1)!.exited).toBe(0);
    } finally {
      await admin.disconnect();
    }
  }, 300_000);
});

/** The same drill on `npm start`: nothing to rejoin, so ready as soon as it listens. */
describe('drill: npm start (embedded) killed and restarted', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-restart-drill-'));
  const processes: RunningService[] = [];
  afterAll(() => {
    for (const p of processes) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const tokens = new Map<string, Promise<string>>();
  const bearer = async (url: string) => {
    let token = tokens.get(url);
    if (!token) {
      const key = JSON.parse(readFileSync(join(dir, 'operator.key.json'), 'utf8')) as PrivateJwk;
      token = obtainToken(
        viaUrl(() => url),
        'operator',
        key,
      );
      tokens.set(url, token);
    }
    return `Bearer ${await token}`;
  };

  it('is live and ready within seconds, and applies a new registration', async () => {
    const first = await spawnService('services/standalone/dist/main.js', { PDX_DATA_DIR: dir });
    processes.push(first);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const t0 = performance.now();
    let restarted: RunningService | undefined;
    const starting = spawnService('services/standalone/dist/main.js', { PDX_DATA_DIR: dir }).then((s) => {
      restarted = s;
      processes.push(s);
    });
    let registered = false;
    // Consumed: the directory service has projected a party registered after the restart.
    const consumed = async () => {
      if (!restarted) return false;
      if (!registered) {
        const res = await fetch(`${restarted.url}/v1/parties`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: await bearer(restarted.url) },
          body: JSON.stringify({ ...acme, partyId: 'after-restart' }),
        });
        registered = res.status === 201;
        return false;
      }
      const res = await fetch(`${restarted.url}/v1/parties/after-restart`, {
        headers: { authorization: await bearer(restarted.url) },
      });
      return res.status === 200;
    };
    const result = await timeline(t0, () => restarted?.url, consumed);
    await starting;
    console.log(`[drill] npm start killed (SIGKILL) and restarted: ${describeTimeline(result)}`);
    expect(result.readyz).toBeLessThan(30_000);
    processes.at(-1)!.child.kill('SIGTERM');
    expect(await processes.at(-1)!.exited).toBe(0);
  }, 120_000);
});

import { sampleJwk } from '@pdx/bus/testing';
import { topics } from '@pdx/contracts';
import { generateSigningKey, type PrivateJwk } from '@pdx/crypto';
import { createHost, type Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { silentLogger } from '@pdx/runtime';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { obtainToken, viaHost } from './access-tokens.js';
import { countMessages } from './drill-tools.js';
import { kafkaMongoTarget, type SliceTarget } from './targets.js';

const brokers = inject('kafkaBrokers');
const mongodbUri = inject('mongodbUri');

/**
 * Drill: intake under steady load on Kafka and FerretDB, the outbox flusher running at its
 * interval, no fault at all. Every registration publishes one event; a flusher that takes an
 * outbox whose first publication is still in flight publishes it a second time.
 */
describe('drill: intake under load publishes each event once (Kafka, FerretDB)', () => {
  let host: Host | undefined;
  let target: SliceTarget | undefined;
  afterAll(async () => {
    await host?.stop();
    await target?.cleanup?.();
  });

  it('has no duplicate messages with the flusher running', async () => {
    target = await kafkaMongoTarget(brokers, mongodbUri, ['intake']);
    const operator = await generateSigningKey('EdDSA', 'ops');
    const flushMs = process.env.DRILL_FLUSH_MS ?? '5000';
    host = await createHost({
      name: 'drill-intake',
      services: [intakeService],
      env: {
        ...target.env,
        PORT: '0',
        PDX_OUTBOX_FLUSH_MS: flushMs,
        PDX_OPERATORS: JSON.stringify([{ id: 'ops', jwks: { keys: [operator.publicJwk] } }]),
      },
      logger: silentLogger(),
    });
    await host.start();
    const opsKey: PrivateJwk = operator.privateJwk;
    const total = Number(process.env.DRILL_REGISTRATIONS ?? 200);
    const inFlight = 16;
    let next = 0;
    const started = Date.now();
    let token: Promise<string> | undefined;
    await Promise.all(
      Array.from({ length: inFlight }, async () => {
        for (let i = next++; i < total; i = next++) {
          token ??= obtainToken(
            viaHost(() => host!),
            'ops',
            opsKey,
          );
          const res = await host!.http.inject({
            method: 'POST',
            url: '/v1/parties',
            headers: { authorization: `Bearer ${await token}`, 'content-type': 'application/json' },
            payload: {
              partyId: `drill-${i}`,
              legalName: `Drill party ${i}`,
              country: 'DE',
              roles: ['partner'],
              jwks: { keys: [{ ...sampleJwk }] },
            },
          });
          expect(res.statusCode, res.body).toBe(201);
          if (process.env.DRILL_PROGRESS && i % 50 === 0)
            console.log(`[drill] ${i} at ${Date.now() - started} ms`);
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    // Let a flusher pass that is under way finish, then stop everything that publishes.
    await host.stop();
    host = undefined;
    const { messages, distinct } = await countMessages(
      brokers,
      `${target.env.KAFKA_TOPIC_PREFIX}${topics.parties}`,
    );
    const rate = ((messages - distinct) / distinct) * 100;
    console.log(
      `[drill] ${total} registrations in ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)}/s, ${inFlight} in flight, flush every ${flushMs} ms): ${messages} messages, ${distinct} distinct, ${messages - distinct} duplicates (${rate.toFixed(1)} %)`,
    );
    expect(distinct).toBe(total);
    expect(messages - distinct).toBe(0);
  }, 300_000);
});

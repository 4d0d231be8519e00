import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaRegistry, topics } from '@pdx/contracts';
import { silentLogger } from '@pdx/runtime';
import { describe, expect, it } from 'vitest';
import { EmbeddedEventBus } from './embedded-bus.js';
import { eventBusContract, eventually, samplePartyRegistered } from './testing.js';

const registry = new SchemaRegistry();

/** Like Kafka's max.message.bytes on the Kafka harness's topics. */
const MESSAGE_LIMIT_BYTES = 32 * 1024;

function open(dir: string) {
  return new EmbeddedEventBus({
    dataDir: dir,
    registry,
    logger: silentLogger(),
    pollIntervalMs: 50,
    maxMessageBytes: MESSAGE_LIMIT_BYTES,
  });
}

eventBusContract('embedded (SQLite)', registry, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-bus-'));
  let bus = open(dir);
  await bus.start();
  return {
    bus,
    messageLimitBytes: MESSAGE_LIMIT_BYTES,
    injectRaw: async (topic, key, value, headers) => bus.appendRaw(topic, key, value, headers),
    deadLetters: (count) =>
      eventually(() => {
        const letters = bus.readTopic(topics.deadLetter);
        expect(letters.length).toBeGreaterThanOrEqual(count);
        return letters.map((l) => ({ key: l.key, value: l.bytes, headers: l.headers }));
      }),
    reopen: async () => {
      await bus.close();
      bus = open(dir);
      return bus;
    },
    cleanup: async () => {
      await bus.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('embedded event log durability', () => {
  it('keeps acknowledged events when the process dies without closing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdx-bus-'));
    try {
      const crashed = open(dir);
      const events = [1, 2, 3].map((n) => samplePartyRegistered(registry, `d-${n}`, n));
      await crashed.publish(events);
      // No close(): a second connection sees exactly what the first one acknowledged.
      const after = open(dir);
      const seen: string[] = [];
      const sub = await after.subscribe({
        group: 'g',
        topics: [topics.parties],
        handler: async (e) => {
          seen.push(e.id);
        },
      });
      await eventually(() => expect(seen).toEqual(events.map((e) => e.id)));
      await sub.stop();
      await after.close();
      await crashed.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEventBus } from '@pdx/bus';
import { type Certificate, createEvent, deterministicEventId, SchemaRegistry, topics } from '@pdx/contracts';
import { createMetricsRegistry, histogram, ManualClock, silentLogger } from '@pdx/runtime';
import { openEmbeddedStore } from '@pdx/store';
import { afterAll, describe, expect, it } from 'vitest';
import { applyScheduleEvent } from '../schedule/apply-event.js';
import {
  type LinkDoc,
  linkDocs,
  type MarkRecord,
  markRecords,
  type PolicyDoc,
  policyDocs,
  type ScheduleDoc,
  scheduleDocs,
} from '../schedule/schedule-docs.js';
import { LapseScheduler } from './lapse-scheduler.js';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'pdx-lapses-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lapse scheduler recovery (embedded store and log)', () => {
  it('publishes an event a crash left pending in its mark once the grace has passed, and only then', async () => {
    const registry = new SchemaRegistry();
    const store = openEmbeddedStore({ dir, database: 'certificates' });
    const bus = new EmbeddedEventBus({ dataDir: dir, registry, logger: silentLogger() });
    const clock = new ManualClock('2027-03-01T00:00:00Z');
    const wallClock = new ManualClock('2027-03-01T00:00:00Z');
    const deps = {
      schedule: await store.collection<ScheduleDoc>(scheduleDocs),
      links: await store.collection<LinkDoc>(linkDocs),
      policies: await store.collection<PolicyDoc>(policyDocs),
      marks: await store.collection<MarkRecord>(markRecords),
    };
    const scheduler = new LapseScheduler({
      ...deps,
      bus,
      registry,
      clock,
      wallClock,
      logger: silentLogger(),
      source: 'urn:pdx:pdx:certificates',
      intervalMs: 60_000,
      batchSize: 10,
      concurrency: 4,
    });
    const certificate: Certificate = {
      certificateId: 'iso-28000~00000000000000000042',
      schemeId: 'iso-28000',
      number: 'ISO-42',
      holder: 'acme',
      trust: 'attested',
      issuer: 'tuv',
      scope: { functions: ['warehouse'] },
      validFrom: '2026-01-01T00:00:00Z',
      validUntil: new Date(clock.now() - DAY).toISOString(),
      state: 'active',
      confirmations: [],
      version: 1,
    };
    const key = `${certificate.certificateId}|${certificate.validUntil}|expired`;
    const event = createEvent(registry, {
      type: 'org.pdx.certificate.expired.v1',
      id: deterministicEventId('lapse', key),
      subject: 'acme',
      source: 'urn:pdx:pdx:certificates',
      time: clock.now(),
      data: {
        certificate: { ...certificate, state: 'expired' },
        changedAt: certificate.validUntil!,
        changedBy: 'urn:pdx:pdx:certificates',
      },
    });
    // The state a crash between claiming the milestone and publishing leaves behind.
    await deps.marks.insert({
      id: key,
      certificateId: certificate.certificateId,
      outcome: 'emitted',
      at: new Date(clock.now()).toISOString(),
      stagedAtMs: wallClock.now(),
      version: 1,
      outbox: [event],
      pending: true,
    });
    await applyScheduleEvent(
      deps,
      createEvent(registry, {
        type: 'org.pdx.certificate.registered.v1',
        subject: 'acme',
        source: 'urn:pdx:pdx:intake',
        time: clock.now(),
        data: { certificate, changedAt: certificate.validFrom, changedBy: 'tuv' },
      }),
    );
    const expired = () => bus.readTopic(topics.certificates).length;

    // Young: its writer may still be publishing it. The milestone is claimed, so no second event either.
    expect(await scheduler.scan()).toMatchObject({ evaluated: 1, published: 0 });
    expect(expired()).toBe(0);
    wallClock.advance(61_000);
    await scheduler.scan();
    expect(expired()).toBe(1);
    expect((await deps.marks.get(key))?.pending).toBe(false);
    await scheduler.scan();
    expect(expired()).toBe(1);
    await bus.close();
    await store.close();
  });
});

describe('lapse scan duration (pdx_lapse_scan_duration_seconds)', () => {
  it('records every scan in seconds of the wall clock, a failed one too', async () => {
    const registry = new SchemaRegistry();
    const store = openEmbeddedStore({ dir, database: 'certificates-metrics' });
    const bus = new EmbeddedEventBus({ dataDir: dir, registry, logger: silentLogger() });
    const metrics = createMetricsRegistry();
    const scanDuration = histogram(metrics, { name: 'pdx_lapse_scan_duration_seconds', help: 'Scans.' });
    const clock = new ManualClock('2027-03-01T00:00:00Z');
    const wallClock = new ManualClock('2027-03-01T00:00:00Z');
    const schedule = await store.collection<ScheduleDoc>(scheduleDocs);
    // The scan's first read takes 1.5 s of wall-clock time.
    const slow = {
      ...schedule,
      find: async (...args: Parameters<typeof schedule.find>) => {
        wallClock.advance(1_500);
        return schedule.find(...args);
      },
    };
    const scheduler = new LapseScheduler({
      schedule: slow,
      links: await store.collection<LinkDoc>(linkDocs),
      policies: await store.collection<PolicyDoc>(policyDocs),
      marks: await store.collection<MarkRecord>(markRecords),
      bus,
      registry,
      clock,
      wallClock,
      logger: silentLogger(),
      source: 'urn:pdx:pdx:certificates',
      intervalMs: 60_000,
      batchSize: 10,
      concurrency: 4,
      scanDuration,
    });
    const observed = async () => {
      const { values } = await scanDuration.get();
      return {
        count: values.find((v) => v.metricName === 'pdx_lapse_scan_duration_seconds_count')?.value,
        sum: values.find((v) => v.metricName === 'pdx_lapse_scan_duration_seconds_sum')?.value,
      };
    };
    try {
      await scheduler.scan();
      expect(await observed()).toEqual({ count: 1, sum: 1.5 });
      await store.close();
      await expect(scheduler.scan()).rejects.toMatchObject({ code: 'PDX_STORE_UNAVAILABLE' });
      expect((await observed()).count).toBe(2);
    } finally {
      await bus.close();
      await store.close();
    }
  });
});

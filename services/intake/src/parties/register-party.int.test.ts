import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEventBus } from '@pdx/bus';
import { sampleJwk } from '@pdx/bus/testing';
import { type PartyRegistration, type PdxError, SchemaRegistry, topics } from '@pdx/contracts';
import { ManualClock, silentLogger } from '@pdx/runtime';
import { type DocumentStore, openEmbeddedStore } from '@pdx/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PartyRecord, partyCollection } from './party-record.js';
import { type RegisterPartyDeps, recoverUnpublished, registerParty } from './register-party.js';

const registry = new SchemaRegistry();
const party: PartyRegistration = {
  partyId: 'acme',
  legalName: 'ACME',
  country: 'DE',
  roles: ['partner'],
  jwks: { keys: [{ ...sampleJwk }] },
};

describe('registerParty against the embedded log and store', () => {
  let dir: string;
  let store: DocumentStore;
  let bus: EmbeddedEventBus;
  let deps: RegisterPartyDeps;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pdx-intake-'));
    store = openEmbeddedStore({ dir, database: 'intake' });
    bus = new EmbeddedEventBus({ dataDir: dir, registry, logger: silentLogger() });
    const parties = await store.collection<PartyRecord>(partyCollection);
    deps = {
      parties,
      bus,
      registry,
      clock: new ManualClock('2026-03-01T00:00:00Z'),
      logger: silentLogger(),
      source: '/t',
    };
  });
  afterEach(async () => {
    await bus.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stamps the registration with the clock and publishes one event', async () => {
    const outcome = await registerParty(deps, party, 'op-1');
    expect(outcome.kind).toBe('created');
    expect(outcome.record).toMatchObject({
      registeredAt: '2026-03-01T00:00:00.000Z',
      registeredBy: 'op-1',
      published: true,
    });
    const events = bus.readTopic(topics.parties).map((m) => JSON.parse(m.value));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      id: outcome.record.eventId,
      subject: 'acme',
      data: { registeredBy: 'op-1' },
    });
  });

  it('leaves no record behind when the log refuses, and a retry then succeeds with the same event id', async () => {
    const offline = new EmbeddedEventBus({ dataDir: join(dir, 'offline'), registry, logger: silentLogger() });
    await offline.close();
    const error = await registerParty({ ...deps, bus: offline }, party, 'op').catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe('PDX_EVENT_LOG_UNAVAILABLE');
    expect(await deps.parties.get('acme')).toBeUndefined();
    const outcome = await registerParty(deps, party, 'op');
    expect(outcome.kind).toBe('created');
  });

  it('publishes, on start, a record that a crash left unpublished', async () => {
    const created = await registerParty(deps, party, 'op');
    await deps.parties.put({ ...created.record, published: false });
    expect(await recoverUnpublished(deps)).toBe(1);
    expect((await deps.parties.get('acme'))?.published).toBe(true);
    const ids = bus.readTopic(topics.parties).map((m) => JSON.parse(m.value).id);
    expect(ids).toEqual([created.record.eventId, created.record.eventId]);
    expect(await recoverUnpublished(deps)).toBe(0);
  });

  it('lets exactly one of two concurrent, different registrations of one id win', async () => {
    const results = await Promise.allSettled([
      registerParty(deps, party, 'op'),
      registerParty(deps, { ...party, legalName: 'Other' }, 'op'),
    ]);
    const codes = results.map((r) => (r.status === 'fulfilled' ? r.value.kind : (r.reason as PdxError).code));
    expect(codes.sort()).toEqual(['PDX_PARTY_CONFLICT', 'created']);
    expect(bus.readTopic(topics.parties)).toHaveLength(1);
  });
});

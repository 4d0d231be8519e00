import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEventBus } from '@pdx/bus';
import { sampleJwk } from '@pdx/bus/testing';
import { type PartyRegistration, type PdxError, type PdxEvent, SchemaRegistry, topics } from '@pdx/contracts';
import { generateSigningKey } from '@pdx/crypto';
import { ManualClock, silentLogger } from '@pdx/runtime';
import { type DocumentStore, flushOutboxes, openEmbeddedStore } from '@pdx/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addKey, revokeKey } from '../keys/party-keys.js';
import { type PartyRecord, partyRecords } from './party-record.js';
import { type IntakeDeps, registerParty } from './register-party.js';

const registry = new SchemaRegistry();
const party: PartyRegistration = {
  partyId: 'acme',
  legalName: 'ACME',
  country: 'DE',
  roles: ['partner'],
  jwks: { keys: [{ ...sampleJwk }] },
};

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  return p.then(
    () => undefined,
    (e: PdxError) => e.code,
  );
}

describe('intake party and key changes against the embedded log and store', () => {
  let dir: string;
  let store: DocumentStore;
  let bus: EmbeddedEventBus;
  let clock: ManualClock;
  let deps: IntakeDeps;
  const published = () =>
    bus.readTopic(topics.parties).map((m) => JSON.parse(m.value) as { id: string; type: string });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pdx-intake-'));
    store = openEmbeddedStore({ dir, database: 'intake' });
    bus = new EmbeddedEventBus({ dataDir: dir, registry, logger: silentLogger() });
    clock = new ManualClock('2026-03-01T00:00:00Z');
    const parties = await store.collection<PartyRecord>(partyRecords);
    deps = { parties, bus, registry, clock, logger: silentLogger(), source: 'urn:pdx:test' };
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
      pending: false,
    });
    expect(outcome.record.keys).toEqual([{ jwk: sampleJwk, addedAt: '2026-03-01T00:00:00.000Z' }]);
    expect(published().map((e) => e.type)).toEqual(['org.pdx.party.registered.v1']);
    expect((await registerParty(deps, party, 'op-1')).kind).toBe('unchanged');
    expect(published()).toHaveLength(1);
  });

  it('refuses other content for a registered id, naming each field that differs, and publishes nothing', async () => {
    await registerParty(deps, party, 'op');
    const { publicJwk } = await generateSigningKey('EdDSA', 'k2');
    const error = await registerParty(
      deps,
      { ...party, legalName: 'ACME Holding AG', roles: ['partner', 'buyer'], jwks: { keys: [publicJwk] } },
      'op',
    ).then(
      () => undefined,
      (e: PdxError) => e,
    );
    expect(error?.code).toBe('PDX_PARTY_CONFLICT');
    expect(error?.message).toBe(
      'party acme is already registered with different content: jwks, legalName, roles differ; sending the registered content again changes nothing',
    );
    expect(error?.pointer).toBe('/partyId');
    expect(error?.violations).toEqual([
      {
        pointer: '/jwks',
        detail:
          'jwks differs from the keys registered: add or revoke keys with POST /v1/parties/{partyId}/keys',
      },
      {
        pointer: '/legalName',
        detail: 'legalName is registered as "ACME", this request has "ACME Holding AG"',
      },
      {
        pointer: '/roles',
        detail: 'roles is registered as ["partner"], this request has ["partner","buyer"]',
      },
    ]);
    const added = await registerParty(deps, { ...party, identifiers: [] }, 'op').then(
      () => undefined,
      (e: PdxError) => e,
    );
    expect(added?.violations).toEqual([
      { pointer: '/identifiers', detail: 'identifiers is registered as nothing, this request has []' },
    ]);
    expect(published()).toHaveLength(1);
  });

  it('keeps a change the log refused pending, and answers its retry only once it is published', async () => {
    const offline = new EmbeddedEventBus({ dataDir: join(dir, 'offline'), registry, logger: silentLogger() });
    await offline.close();
    expect(await codeOf(registerParty({ ...deps, bus: offline }, party, 'op'))).toBe(
      'PDX_EVENT_LOG_UNAVAILABLE',
    );
    expect(await deps.parties.get('acme')).toMatchObject({ pending: true });
    expect(published()).toHaveLength(0);
    // The client retries once the log is back: same content, so 'unchanged', now published.
    expect((await registerParty(deps, party, 'op')).kind).toBe('unchanged');
    expect(published().map((e) => e.type)).toEqual(['org.pdx.party.registered.v1']);
    expect(await deps.parties.get('acme')).toMatchObject({ pending: false, outbox: [] });
  });

  it('accumulates refused changes in order and the flusher publishes them all', async () => {
    await registerParty(deps, party, 'op');
    const offline = new EmbeddedEventBus({ dataDir: join(dir, 'offline'), registry, logger: silentLogger() });
    await offline.close();
    const k2 = await generateSigningKey('EdDSA', 'k2');
    const k3 = await generateSigningKey('EdDSA', 'k3');
    expect(await codeOf(addKey({ ...deps, bus: offline }, 'acme', k2.publicJwk, 'acme'))).toBe(
      'PDX_EVENT_LOG_UNAVAILABLE',
    );
    expect(await codeOf(addKey({ ...deps, bus: offline }, 'acme', k3.publicJwk, 'acme'))).toBe(
      'PDX_EVENT_LOG_UNAVAILABLE',
    );
    const record = await deps.parties.get('acme');
    expect(record?.keys.map((k) => k.jwk.kid)).toEqual([sampleJwk.kid, 'k2', 'k3']);
    expect(record?.outbox).toHaveLength(2);
    expect(await flushOutboxes(deps, deps.parties)).toBe(1);
    const keyEvents = published().filter((e) => e.type === 'org.pdx.party.key-added.v1') as unknown as {
      data: { key: { jwk: { kid: string } } };
    }[];
    expect(keyEvents.map((e) => e.data.key.jwk.kid)).toEqual(['k2', 'k3']);
    expect(await flushOutboxes(deps, deps.parties)).toBe(0);
  });

  it('publishes on start what a crash left in an outbox, once', async () => {
    await registerParty(deps, party, 'op');
    const record = (await deps.parties.get('acme'))!;
    const event = JSON.parse(bus.readTopic(topics.parties)[0]!.value) as PdxEvent;
    await deps.parties.put({ ...record, outbox: [event], pending: true });
    expect(await flushOutboxes(deps, deps.parties)).toBe(1);
    expect((await deps.parties.get('acme'))?.pending).toBe(false);
    const ids = published().map((e) => e.id);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
    expect(await flushOutboxes(deps, deps.parties)).toBe(0);
  });

  it('lets exactly one of two concurrent, different registrations of one id win', async () => {
    const results = await Promise.allSettled([
      registerParty(deps, party, 'op'),
      registerParty(deps, { ...party, legalName: 'Other' }, 'op'),
    ]);
    const codes = results.map((r) => (r.status === 'fulfilled' ? r.value.kind : (r.reason as PdxError).code));
    expect(codes.sort()).toEqual(['PDX_PARTY_CONFLICT', 'created']);
    expect(published()).toHaveLength(1);
  });

  it('rotates and revokes keys: repeats are idempotent, contradictions are refused', async () => {
    await registerParty(deps, party, 'op');
    const { publicJwk } = await generateSigningKey('ES256', 'k2');
    clock.advance(60_000);
    expect((await addKey(deps, 'acme', publicJwk, 'acme')).kind).toBe('added');
    expect((await addKey(deps, 'acme', publicJwk, 'acme')).kind).toBe('unchanged');
    const other = await generateSigningKey('ES256', 'k2');
    expect(await codeOf(addKey(deps, 'acme', other.publicJwk, 'acme'))).toBe('PDX_KEY_CONFLICT');
    expect(await codeOf(addKey(deps, 'nobody', publicJwk, 'op'))).toBe('PDX_PARTY_NOT_FOUND');

    const revocation = { reason: 'compromised' as const, revokedFrom: '2026-02-20T00:00:00Z' };
    const revoked = await revokeKey(deps, 'acme', sampleJwk.kid, revocation, 'acme');
    expect(revoked.kind).toBe('revoked');
    expect(revoked.key).toMatchObject({
      revokedFrom: '2026-02-20T00:00:00.000Z',
      revocationReason: 'compromised',
    });
    expect((await revokeKey(deps, 'acme', sampleJwk.kid, revocation, 'acme')).kind).toBe('unchanged');
    expect(await codeOf(revokeKey(deps, 'acme', sampleJwk.kid, { reason: 'retired' }, 'acme'))).toBe(
      'PDX_KEY_ALREADY_REVOKED',
    );
    const earlier = await revokeKey(
      deps,
      'acme',
      sampleJwk.kid,
      { reason: 'compromised', revokedFrom: '2026-02-01T00:00:00Z' },
      'op',
    );
    expect(earlier).toMatchObject({ kind: 'revoked', key: { revokedFrom: '2026-02-01T00:00:00.000Z' } });
    expect(await codeOf(revokeKey(deps, 'acme', 'nope', { reason: 'retired' }, 'acme'))).toBe(
      'PDX_KEY_NOT_FOUND',
    );
    expect(published().map((e) => e.type)).toEqual([
      'org.pdx.party.registered.v1',
      'org.pdx.party.key-added.v1',
      'org.pdx.party.key-revoked.v1',
      'org.pdx.party.key-revoked.v1',
    ]);
  });
});

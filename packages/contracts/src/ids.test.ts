import { describe, expect, it } from 'vitest';
import { createEvent, type EventDataMap } from './event-catalog.js';
import type { Certificate } from './generated/types.js';
import { attestationReceivedAt } from './ids.js';
import { SchemaRegistry } from './schema-registry.js';

const registry = new SchemaRegistry();
const certificate = (jws?: string): Certificate => ({
  certificateId: 'eu-aeo-aeos~00000000000000000001',
  schemeId: 'eu-aeo-aeos',
  number: 'DE AEOS 4711/27',
  holder: 'acme',
  trust: jws ? 'attested' : 'claimed',
  ...(jws
    ? { issuer: 'zoll', attestation: { jws, issuedAt: '2027-01-01T00:00:00.000Z', contentHash: 'h' } }
    : {}),
  scope: { functions: ['warehouse'] },
  validFrom: '2026-01-01T00:00:00.000Z',
  state: 'active',
  confirmations: [],
  version: 1,
});
const event = (
  type:
    | 'org.pdx.certificate.registered.v1'
    | 'org.pdx.certificate.renewed.v1'
    | 'org.pdx.certificate.suspended.v1',
  c: Certificate,
  changedAt: string,
) =>
  createEvent(registry, {
    type,
    subject: 'acme',
    source: 'urn:pdx:test:contracts',
    time: Date.parse(changedAt),
    data: {
      certificate: c,
      changedAt,
      changedBy: 'zoll',
      ...(type === 'org.pdx.certificate.suspended.v1' ? { reason: 'x' } : {}),
      ...(type === 'org.pdx.certificate.renewed.v1' ? { previous: { validFrom: c.validFrom } } : {}),
    } as EventDataMap['org.pdx.certificate.renewed.v1'],
  });

describe('when the exchange received a certificate attestation', () => {
  it('is the changedAt of the registration or renewal that brought it, kept while it stays the same', () => {
    const registered = event(
      'org.pdx.certificate.registered.v1',
      certificate('a.b.c'),
      '2027-01-01T00:00:05.000Z',
    );
    const first = attestationReceivedAt(registered, undefined);
    expect(first).toBe('2027-01-01T00:00:05.000Z');
    const suspended = event(
      'org.pdx.certificate.suspended.v1',
      certificate('a.b.c'),
      '2027-03-01T00:00:00.000Z',
    );
    expect(attestationReceivedAt(suspended, { jws: 'a.b.c', receivedAt: first })).toBe(first);
    const renewed = event('org.pdx.certificate.renewed.v1', certificate('d.e.f'), '2027-04-01T00:00:00.000Z');
    expect(attestationReceivedAt(renewed, { jws: 'a.b.c', receivedAt: first })).toBe(
      '2027-04-01T00:00:00.000Z',
    );
  });

  it('is unknown for a claim, and for an attestation first seen on another event', () => {
    expect(
      attestationReceivedAt(
        event('org.pdx.certificate.registered.v1', certificate(), '2027-01-01T00:00:00.000Z'),
        undefined,
      ),
    ).toBeUndefined();
    expect(
      attestationReceivedAt(
        event('org.pdx.certificate.suspended.v1', certificate('a.b.c'), '2027-03-01T00:00:00.000Z'),
        undefined,
      ),
    ).toBeUndefined();
  });
});

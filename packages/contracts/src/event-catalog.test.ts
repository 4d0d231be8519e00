import { describe, expect, it } from 'vitest';
import { PdxError } from './errors.js';
import { createEvent, parsePdxEvent, parsePdxEventText } from './event-catalog.js';
import type { PartyRegisteredV1 } from './generated/types.js';
import { SchemaRegistry } from './schema-registry.js';

const registry = new SchemaRegistry();
const data: PartyRegisteredV1 = {
  party: {
    partyId: 'acme-logistics',
    legalName: 'ACME Logistics GmbH',
    country: 'DE',
    roles: ['partner'],
    jwks: {
      keys: [{ kty: 'OKP', crv: 'Ed25519', kid: 'k1', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' }],
    },
  },
  registeredAt: '2026-01-01T00:00:00.000Z',
  registeredBy: 'operator',
  contentHash: 'a'.repeat(43),
};
const event = () =>
  createEvent(registry, {
    type: 'org.pdx.party.registered.v1',
    subject: 'acme-logistics',
    source: 'urn:pdx:pdx:intake',
    time: Date.UTC(2026, 0, 1),
    data,
  });

function violationOf(fn: () => unknown): [string, string | undefined] | undefined {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof PdxError)) throw e;
    return [e.code, e.violations[0]?.pointer];
  }
  return undefined;
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof PdxError ? e.code : `not a PdxError: ${String(e)}`;
  }
  return undefined;
}

describe('pdx events', () => {
  it('round-trips through JSON', () => {
    const e = event();
    expect(parsePdxEvent(registry, JSON.parse(JSON.stringify(e)))).toEqual(e);
    expect(e).toMatchObject({
      specversion: '1.0',
      type: 'org.pdx.party.registered.v1',
      subject: 'acme-logistics',
      time: '2026-01-01T00:00:00.000Z',
      datacontenttype: 'application/json',
      dataschema: 'urn:pdx:schema:event:party.registered.v1',
    });
  });

  it('refuses to build an event whose data does not match its schema', () => {
    expect(() =>
      createEvent(registry, {
        type: 'org.pdx.party.registered.v1',
        subject: 'x',
        source: 'urn:pdx:test',
        time: 0,
        data: { ...data, contentHash: 'short' },
      }),
    ).toThrow(TypeError);
  });

  it('refuses to build an event whose source is not an absolute URI (TypeError: a bug)', () => {
    for (const source of ['/pdx/intake', 'intake', '', 'urn:pdx:x#y', 'urn:pdx:a b']) {
      expect(() =>
        createEvent(registry, {
          type: 'org.pdx.party.registered.v1',
          subject: 'x',
          source,
          time: 0,
          data,
        }),
      ).toThrow(TypeError);
    }
  });

  it('parses from text what it wrote with JSON.stringify, and what it wrote with a relative source', () => {
    const e = event();
    expect(parsePdxEventText(registry, JSON.stringify(e))).toEqual(e);
    // Events in logs from before sources were absolute URIs: a relative reference is valid.
    const old = { ...e, source: '/pdx/intake' };
    expect(parsePdxEventText(registry, JSON.stringify(old))).toEqual(old);
  });

  it('PDX_EVENT_ENVELOPE_INVALID from text: a repeated attribute, an Integer written 10.0', () => {
    const text = JSON.stringify(event());
    const repeatedId = text.replace('"specversion"', '"id":"another","specversion"');
    expect(violationOf(() => parsePdxEventText(registry, repeatedId))).toEqual([
      'PDX_EVENT_ENVELOPE_INVALID',
      '/id',
    ]);
    const fractional = text.replace('"specversion"', '"attempt":10.0,"specversion"');
    expect(violationOf(() => parsePdxEventText(registry, fractional))).toEqual([
      'PDX_EVENT_ENVELOPE_INVALID',
      '/attempt',
    ]);
    expect(violationOf(() => parsePdxEventText(registry, '{"id":'))).toEqual([
      'PDX_EVENT_ENVELOPE_INVALID',
      '',
    ]);
  });

  it('PDX_EVENT_DATA_INVALID from text: a member repeated inside data, at any depth', () => {
    const text = JSON.stringify(event());
    // The schema would check one copy, and a consumer written in another language read the other.
    const twoCountries = text.replace('"country":"DE"', '"country":"DE","country":"Germany"');
    expect(violationOf(() => parsePdxEventText(registry, twoCountries))).toEqual([
      'PDX_EVENT_DATA_INVALID',
      '/data/party/country',
    ]);
    const twoKids = text.replace('"kid":"k1"', '"kid":"k1","kid":"k2"');
    expect(violationOf(() => parsePdxEventText(registry, twoKids))).toEqual([
      'PDX_EVENT_DATA_INVALID',
      '/data/party/jwks/keys/0/kid',
    ]);
  });

  it('PDX_EVENT_ENVELOPE_INVALID: not a CloudEvent', () => {
    expect(codeOf(() => parsePdxEvent(registry, { hello: 'world' }))).toBe('PDX_EVENT_ENVELOPE_INVALID');
  });

  it('PDX_EVENT_ENVELOPE_INVALID: pdx rules (subject, dataschema, data_base64)', () => {
    const { subject: _s, ...noSubject } = event();
    expect(codeOf(() => parsePdxEvent(registry, noSubject))).toBe('PDX_EVENT_ENVELOPE_INVALID');
    expect(codeOf(() => parsePdxEvent(registry, { ...event(), dataschema: 'urn:x:y' }))).toBe(
      'PDX_EVENT_ENVELOPE_INVALID',
    );
    const { data: _d, ...noData } = event();
    expect(codeOf(() => parsePdxEvent(registry, { ...noData, data_base64: 'e30=' }))).toBe(
      'PDX_EVENT_ENVELOPE_INVALID',
    );
  });

  it('PDX_EVENT_TYPE_UNKNOWN', () => {
    expect(codeOf(() => parsePdxEvent(registry, { ...event(), type: 'org.pdx.party.exploded.v1' }))).toBe(
      'PDX_EVENT_TYPE_UNKNOWN',
    );
  });

  it('PDX_EVENT_DATA_INVALID with the pointer inside the envelope', () => {
    const e = event();
    const bad = { ...e, data: { ...e.data, party: { ...e.data.party, country: 'Germany' } } };
    try {
      parsePdxEvent(registry, bad);
      expect.unreachable();
    } catch (error) {
      expect((error as PdxError).code).toBe('PDX_EVENT_DATA_INVALID');
      expect((error as PdxError).pointer).toBe('/data/party/country');
    }
  });
});

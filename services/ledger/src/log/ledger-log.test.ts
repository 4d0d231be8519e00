import { canonicalJson, SchemaRegistry } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import type { PendingDoc } from './ledger-docs.js';
import { entryText } from './ledger-log.js';

const registry = new SchemaRegistry();
const pending = (kind: PendingDoc['kind'], extra: Partial<PendingDoc['data']> = {}): PendingDoc => ({
  id: 'event-7',
  receivedMs: 0,
  appended: false,
  kind,
  data: {
    buyerId: 'globex',
    partnerId: 'acme',
    clause: '4.4(c)',
    certificateIds: ['eu-aeo-aeos~b'],
    at: '2027-06-01T00:00:00.000Z',
    policyVersion: 2,
    cause: { kind: 'event', eventId: 'cause-7', eventType: 'org.pdx.certificate.withdrawn.v1' },
    ...extra,
  },
});

describe('ledger entries', () => {
  it('a change of basis is one entry with the new basis and the previous one, RFC 8785 canonical', () => {
    const text = entryText(
      pending('exemption-basis-changed', {
        clause: '4.4(a)',
        certificateIds: ['iso-28001~z', 'iso-28001~m'],
        previous: { clause: '4.4(c)', certificateIds: ['eu-aeo-aeos~a'] },
      }),
      7,
    );
    expect(text).toBe(
      '{"basis":"verified compliant with ISO 28001 or ISO 20858","buyerId":"globex","causeEventId":"event-7","certificateIds":["iso-28001~m","iso-28001~z"],"clause":"4.4(a)","decidedAt":"2027-06-01T00:00:00.000Z","decisionCause":{"eventId":"cause-7","eventType":"org.pdx.certificate.withdrawn.v1","kind":"event"},"kind":"exemption-basis-changed","partnerId":"acme","policyVersion":2,"previous":{"basis":"designated Authorized Economic Operator by a customs programme conforming to the WCO SAFE Framework","certificateIds":["eu-aeo-aeos~a"],"clause":"4.4(c)"},"seq":7}',
    );
    expect(canonicalJson(JSON.parse(text))).toBe(text);
    expect(registry.check('urn:pdx:schema:common:ledger-entry-content.v1', JSON.parse(text))).toEqual([]);
  });

  it('grants and revocations keep their format, without a previous basis', () => {
    for (const kind of ['exemption-granted', 'exemption-revoked'] as const) {
      const entry = JSON.parse(entryText(pending(kind), 3));
      expect(entry).not.toHaveProperty('previous');
      expect(registry.check('urn:pdx:schema:common:ledger-entry-content.v1', entry)).toEqual([]);
    }
  });

  it('the schema asks a previous basis of a change of basis, and of nothing else', () => {
    const changed = JSON.parse(
      entryText(
        pending('exemption-basis-changed', { previous: { clause: '4.4(c)', certificateIds: ['a'] } }),
        1,
      ),
    );
    const { previous: _p, ...withoutPrevious } = changed;
    expect(registry.check('urn:pdx:schema:common:ledger-entry-content.v1', withoutPrevious)).not.toEqual([]);
    expect(
      registry.check('urn:pdx:schema:common:ledger-entry-content.v1', {
        ...changed,
        kind: 'exemption-granted',
      }),
    ).not.toEqual([]);
  });
});

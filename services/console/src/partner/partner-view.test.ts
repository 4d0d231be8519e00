import { describe, expect, it } from 'vitest';
import type { PartnerDecision } from '../api.js';
import { sha256Hex, toHex } from '../encoding.js';
import {
  applied,
  areaRows,
  type Certificate,
  type CertificateView,
  type Change,
  causeText,
  certificateRows,
  changeText,
  confirmable,
  type Declaration,
  decodeJws,
  kidOf,
  lines,
  localToIso,
  newestFirst,
  newRecordId,
  reasons,
  type StatusView,
  summary,
} from './partner-view.js';

const decision = (over: Partial<PartnerDecision> = {}): PartnerDecision => ({
  buyerId: 'globex',
  partnerId: 'acme',
  status: 'pending-review',
  clauses: ['4.2'],
  basis: [],
  functions: [],
  obligations: [],
  evaluatedAt: '2026-12-01T00:00:00Z',
  policyVersion: 1,
  catalogueVersion: 1,
  ...over,
});

const certificate = (over: Partial<Certificate> = {}): Certificate => ({
  certificateId: 'eu-aeo~DEAEOS0001',
  schemeId: 'eu-aeo',
  number: 'DE AEOS 0001/24',
  holder: 'acme',
  trust: 'attested',
  issuer: 'zoll',
  scope: { functions: ['warehouse'] },
  validFrom: '2026-01-01T00:00:00Z',
  state: 'active',
  confirmations: [],
  version: 1,
  ...over,
});

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const jws = (header: unknown, payload: unknown) => `${b64(header)}.${b64(payload)}.c2ln`;

describe('the decision in words', () => {
  it('explains an AEO exemption under 4.4(c) with the certificate and the functions it covers', () => {
    const found = reasons(
      decision({
        status: 'exempt',
        basis: [
          {
            kind: 'certificate',
            clause: '4.4(c)',
            certificateId: 'eu-aeo~DEAEOS0001',
            functions: ['warehouse'],
          },
        ],
      }),
      'ACME Logistics GmbH',
      [certificate()],
    );
    expect(found).toEqual([
      {
        clause: '4.4(c)',
        text: '4.4(c): ACME Logistics GmbH holds the eu-aeo certificate DE AEOS 0001/24, an Authorized Economic Operator designation of a customs programme that follows the WCO SAFE Framework and that your policy recognises for warehouse, so no declaration is needed and it is listed as exempt.',
      },
    ]);
  });

  it('explains each kind of basis by its clause: a 4.3 approval, the declaration, a review, supporting evidence', () => {
    const texts = reasons(
      decision({
        status: 'covered',
        basis: [
          {
            kind: 'certificate',
            clause: '4.3',
            certificateId: 'isps~X',
            functions: ['port-terminal', 'warehouse'],
          },
          { kind: 'declaration', clause: '4.2', declarationId: 'dos-1' },
          { kind: 'review', clause: '4.5', reviewId: 'R-1', outcome: 'credible' },
          { kind: 'certificate', clause: '4.5', certificateId: 'tapa~T', lowersRiskTier: true },
          { kind: 'certificate', clause: '4.4(a)', certificateId: 'unknown-cert' },
        ],
      }),
      'ACME',
      [certificate({ certificateId: 'isps~X', schemeId: 'isps', number: 'SOC-7' })],
    ).map((r) => r.text);
    expect(texts).toEqual([
      '4.3: the isps certificate SOC-7 is an internationally accepted certificate or approval for port-terminal and warehouse: that part of the chain needs no further assessment.',
      '4.2: ACME stated the security measures it provides in writing, in its signed declaration of security dos-1.',
      '4.5: your review R-1 found the declaration credible.',
      '4.5: tapa~T is supporting evidence for your review: it lowered the risk tier by one step. It is not grounds for an exemption.',
      // A certificate the page could not read is named by its id.
      '4.4(a): ACME holds unknown-cert, which verifies it compliant with ISO 28001 or ISO 20858, so no declaration is needed and it is listed as exempt.',
    ]);
  });

  it('says what each status asks of the buyer', () => {
    expect(summary(decision(), 'ACME')).toMatch(
      /^ACME has given you its declaration .*record the review below\.$/,
    );
    expect(summary(decision({ status: 'declaration-required' }), 'ACME')).toContain('(ISO 28001 4.2)');
    expect(summary(decision({ status: 'not-credible' }), 'ACME')).toContain('not credible');
  });
});

describe('the evidence decoded', () => {
  it('decodes a compact JWS header and payload, and its kid', () => {
    const token = jws(
      { alg: 'EdDSA', kid: 'acme-1', typ: 'pdx-declaration+jws' },
      { declarationId: 'dos-1' },
    );
    expect(decodeJws(token)).toEqual({
      header: { alg: 'EdDSA', kid: 'acme-1', typ: 'pdx-declaration+jws' },
      payload: { declarationId: 'dos-1' },
    });
    expect(kidOf(token)).toBe('acme-1');
  });

  it('reads nothing from a malformed JWS', () => {
    expect(decodeJws('not-a-jws')).toBeNull();
    expect(decodeJws('e30.!!!.x')).toBeNull();
    expect(decodeJws(`${b64([1])}.${b64({})}.x`)).toBeNull();
    expect(kidOf(undefined)).toBe('');
    expect(kidOf(jws({ alg: 'EdDSA' }, {}))).toBe('');
  });

  it('lists every area A–I, marking the missing ones the decision names', () => {
    const measure = {
      statement: 'Fences.',
      controls: ['CCTV'],
      isoReferences: { iso28000: ['4.4.6'], iso28001: ['5.4'] },
    };
    const rows = areaRows(
      { measures: { E: measure } } as unknown as Declaration,
      decision({
        status: 'incomplete',
        obligations: [{ code: 'areas-missing', clause: '4.2', detail: 'area C missing', areas: ['C'] }],
      }),
    );
    expect(rows.map((r) => r.area)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']);
    expect(rows.find((r) => r.area === 'E')?.measure).toEqual(measure);
    expect(rows.filter((r) => r.missing).map((r) => r.area)).toEqual(['C']);
  });

  it('lists the cited certificates first, then the others, and offers to confirm only an unconfirmed claim', () => {
    const claim = certificate({ certificateId: 'c2', trust: 'claimed', issuerName: 'TAPA' });
    const view = (
      c: Certificate,
      effectiveState: CertificateView['effectiveState'] = 'active',
    ): CertificateView => ({
      certificate: c,
      effectiveState,
      asOf: '2026-12-01T00:00:00Z',
    });
    const rows = certificateRows([certificate()], [view(claim), view(certificate())]);
    expect(rows.map((r) => [r.certificate.certificateId, r.cited])).toEqual([
      ['eu-aeo~DEAEOS0001', true],
      ['c2', false],
    ]);
    expect(confirmable(claim, 'globex', 'active')).toBe(true);
    expect(confirmable(certificate(), 'globex', 'active')).toBe(false);
    expect(confirmable(claim, 'globex', 'withdrawn')).toBe(false);
    const confirmed = {
      ...claim,
      confirmations: [
        { buyerId: 'globex', reviewer: 'A', evidenceRef: 'x', confirmedAt: '2026-12-01T00:00:00Z' },
      ],
    };
    expect(confirmable(confirmed, 'globex', 'active')).toBe(false);
    expect(confirmable(confirmed, 'initech', 'active')).toBe(true);
  });
});

describe('the history', () => {
  const change = (version: number, over: Partial<Change> = {}): Change => ({
    version,
    decision: decision(),
    cause: { kind: 'event', eventType: 'org.pdx.declaration.submitted.v1', eventId: 'e1' },
    ...over,
  });

  it('shows the newest change first, each with what changed and why', () => {
    const ordered = newestFirst([
      change(1),
      change(3, { previousStatus: 'pending-review', decision: decision({ status: 'credible' }) }),
      change(2, { previousStatus: 'declaration-required' }),
    ]);
    expect(ordered.map((c) => c.version)).toEqual([3, 2, 1]);
    expect(ordered.map(changeText)).toEqual([
      'pending review → credible',
      'declaration required → pending review',
      'first decided: pending review',
    ]);
    expect(changeText(change(4, { previousStatus: 'pending-review' }))).toBe(
      'pending review (basis or dates changed)',
    );
  });

  it('names the cause: a known event, an unknown one, a date passing, the rules changing', () => {
    expect(causeText({ kind: 'event', eventType: 'org.pdx.review.recorded.v1' })).toBe(
      'you recorded a review',
    );
    expect(causeText({ kind: 'event', eventType: 'org.pdx.something.v9' })).toBe(
      'event org.pdx.something.v9',
    );
    expect(causeText({ kind: 'time' })).toMatch(/^a date passed/);
    expect(
      causeText({
        kind: 'rules-changed',
        previousRules: { catalogueVersion: 1, engineVersion: 2 },
        rules: { catalogueVersion: 1, engineVersion: 3 },
      }),
    ).toBe('the rules changed (catalogue 1 → 1, rules engine 2 → 3) and the decision was made again');
  });
});

describe('the action forms', () => {
  it('hashes evidence with SHA-256 in lower-case hex', async () => {
    // FIPS 180-2 test vector: SHA-256("abc").
    expect(await sha256Hex(new TextEncoder().encode('abc').buffer as ArrayBuffer)).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    expect(toHex(new Uint8Array([0, 15, 255]))).toBe('000fff');
  });

  it('reads a local date and time as an instant, and refuses what is not one', () => {
    expect(localToIso('2026-12-01T10:30')).toBe(new Date(2026, 11, 1, 10, 30).toISOString());
    expect(localToIso('')).toBeNull();
    expect(localToIso('yesterday')).toBeNull();
    expect(localToIso('2026-13-45T99:99')).toBeNull();
  });

  it('makes findings of the non-empty lines and ids a buyer may keep', () => {
    expect(lines(' first \n\n second\r\n  ')).toEqual(['first', 'second']);
    expect(newRecordId('R', Date.UTC(2026, 11, 2), 0.5)).toBe('R-20261202-7fff');
    expect(newRecordId('INC', Date.UTC(2026, 11, 2), 0)).toMatch(/^INC-20261202-0000$/);
  });

  it('sees an action applied once the decision was made again', () => {
    const before = { decision: decision(), evidence: { certificates: [], reviews: [] } } as StatusView;
    expect(applied(before, before)).toBe(false);
    expect(applied(before, { ...before, decision: decision({ evaluatedAt: '2026-12-01T00:00:05Z' }) })).toBe(
      true,
    );
    expect(applied(before, { ...before, decision: decision({ status: 'credible' }) })).toBe(true);
  });
});

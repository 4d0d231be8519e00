import type {
  DeclarationOfSecurity,
  EventDataMap,
  EventOf,
  IncidentRecord,
  PartnerDecision,
  PdxEventType,
  RecognitionPolicy,
  ReviewRecord,
} from '@pdx/contracts';
import type { ReviewTask } from '@pdx/rules';
import { describe, expect, it } from 'vitest';
import type { PolicyDoc, ReviewTaskDoc } from './fact-docs.js';
import {
  declarationDocOf,
  evolvePolicy,
  evolveTask,
  historyDocOf,
  incidentDocOf,
  reviewDocOf,
} from './fact-evolve.js';

const envelope = <K extends PdxEventType>(type: K, data: EventDataMap[K], id = `e-${type}`): EventOf<K> =>
  ({
    specversion: '1.0',
    id,
    source: 'urn:pdx:pdx:test',
    type,
    subject: 'acme',
    time: '2027-01-01T00:00:00.000Z',
    datacontenttype: 'application/json',
    dataschema: `urn:pdx:schema:event:${type.slice('org.pdx.'.length)}`,
    data,
  }) as EventOf<K>;

const policy = (version: number, extra: Partial<RecognitionPolicy> = {}): RecognitionPolicy => ({
  buyerId: 'globex',
  version,
  origin: 'set',
  schemes: ['eu-aeo-aeos'],
  issuers: { 'eu-aeo-aeos': ['zoll'], 'isps-issc': undefined },
  alertThresholdsDays: [90, 30],
  digestThreshold: 5,
  catalogueVersion: 2,
  effectiveFrom: '2027-01-01T00:00:00.000Z',
  ...extra,
});
const policyChanged = (p: RecognitionPolicy) =>
  envelope('org.pdx.recognition-policy.changed.v1', { policy: p }, `e-policy-${p.version}`);
const policyDoc = (version: number, extra: Partial<PolicyDoc> = {}): PolicyDoc => ({
  id: 'globex',
  version,
  schemes: ['eu-aeo-aeos'],
  issuers: { 'eu-aeo-aeos': ['zoll'], 'isps-issc': [] },
  ...extra,
});

describe('evolvePolicy', () => {
  const rows: {
    name: string;
    given: PolicyDoc | undefined;
    when: RecognitionPolicy;
    expected: PolicyDoc | undefined;
  }[] = [
    {
      name: 'a first policy is kept; an issuer list left out reads as none',
      given: undefined,
      when: policy(1),
      expected: policyDoc(1),
    },
    {
      name: 'a newer version replaces it, review settings included',
      given: policyDoc(1),
      when: policy(2, { review: { highRiskCountries: ['XX'] } }),
      expected: policyDoc(2, { review: { highRiskCountries: ['XX'] } }),
    },
    {
      name: 'the same version again changes nothing',
      given: policyDoc(2),
      when: policy(2),
      expected: undefined,
    },
    { name: 'an older version changes nothing', given: policyDoc(3), when: policy(2), expected: undefined },
  ];
  it.each(rows)('$name', ({ given, when, expected }) => {
    expect(evolvePolicy(given, policyChanged(when))).toEqual(expected);
  });
});

describe('declarationDocOf', () => {
  const declaration = {
    declarationId: 'dos-2',
    issuer: 'acme',
    recipients: ['globex'],
    measures: { H: {}, A: {}, C: {} },
    validity: { from: '2027-01-01T00:00:00.000Z', until: '2028-01-01T00:00:00.000Z' },
    issuedAt: '2026-12-30T00:00:00.000Z',
  } as unknown as DeclarationOfSecurity;
  const submitted = (d: DeclarationOfSecurity) =>
    envelope('org.pdx.declaration.submitted.v1', {
      declarationId: d.declarationId,
      issuer: d.issuer,
      recipients: d.recipients,
      jws: 'a.b.c',
      declaration: d,
      contentHash: 'h'.repeat(43),
      submittedAt: '2027-01-01T00:00:05.000Z',
    } as EventDataMap['org.pdx.declaration.submitted.v1']);
  it.each([
    {
      name: 'the fact the engine reads: window, recipients and the areas covered, sorted',
      given: declaration,
      expected: {
        id: 'acme~dos-2',
        issuer: 'acme',
        jws: 'a.b.c',
        submittedAt: '2027-01-01T00:00:05.000Z',
        fact: {
          declarationId: 'dos-2',
          recipients: ['globex'],
          issuedAt: '2026-12-30T00:00:00.000Z',
          validFrom: '2027-01-01T00:00:00.000Z',
          validUntil: '2028-01-01T00:00:00.000Z',
          areas: ['A', 'C', 'H'],
        },
      },
    },
    {
      name: 'a declaration that supersedes another says which',
      given: { ...declaration, supersedes: 'dos-1' },
      expected: expect.objectContaining({ fact: expect.objectContaining({ supersedes: 'dos-1' }) }),
    },
  ])('$name', ({ given, expected }) => {
    expect(declarationDocOf(submitted(given))).toEqual(expected);
    // The same event gives the same document.
    expect(declarationDocOf(submitted(given))).toEqual(declarationDocOf(submitted(given)));
  });
});

describe('reviewDocOf and incidentDocOf', () => {
  const review: ReviewRecord = {
    reviewId: 'rev-1',
    buyerId: 'globex',
    partnerId: 'acme',
    declarationId: 'dos-1',
    reviewedAt: '2027-02-01T00:00:00.000Z',
    reviewer: 'j.doe',
    method: 'site-visit',
    outcome: 'credible',
    findings: ['fence repaired'],
    evidence: [{ name: 'report.pdf', sha256: 's'.repeat(64) }],
  } as ReviewRecord;
  const incident = {
    incidentId: 'inc-1',
    buyerId: 'globex',
    partnerId: 'acme',
    occurredAt: '2027-03-01T00:00:00.000Z',
    severity: 'high',
    category: 'theft',
    summary: 'A trailer was opened.',
    reportedTo: ['customs'],
  } as unknown as IncidentRecord;

  it('a review: what the engine reads, and the record as the buyer made it (the evidence)', () => {
    expect(reviewDocOf(envelope('org.pdx.review.recorded.v1', { review }))).toEqual({
      id: 'globex~rev-1',
      buyerId: 'globex',
      partnerId: 'acme',
      review: {
        reviewId: 'rev-1',
        declarationId: 'dos-1',
        reviewedAt: '2027-02-01T00:00:00.000Z',
        reviewer: 'j.doe',
        method: 'site-visit',
        outcome: 'credible',
        findings: ['fence repaired'],
      },
      record: review,
    });
  });
  it('an incident: what the engine reads (ISO 28001 5.7)', () => {
    expect(incidentDocOf(envelope('org.pdx.incident.recorded.v1', { incident }))).toEqual({
      id: 'globex~inc-1',
      buyerId: 'globex',
      partnerId: 'acme',
      incident: { incidentId: 'inc-1', occurredAt: '2027-03-01T00:00:00.000Z', severity: 'high' },
    });
  });
});

describe('evolveTask', () => {
  const task: ReviewTask = {
    declarationId: 'dos-1',
    method: 'document-review',
    riskTier: 'medium',
    dueAt: '2027-04-01T00:00:00.000Z',
    reason: 'first-review',
  };
  const pair = { taskId: 't-1', buyerId: 'globex', partnerId: 'acme', task };
  const cause = { kind: 'event' as const, eventId: 'e-x', eventType: 'org.pdx.relationship.accepted.v1' };
  const opened = envelope('org.pdx.review-task.opened.v1', {
    ...pair,
    openedAt: '2027-01-02T00:00:00.000Z',
    cause,
  });
  const closed = envelope('org.pdx.review-task.closed.v1', {
    ...pair,
    closedAt: '2027-03-01T00:00:00.000Z',
    outcome: 'reviewed',
    reviewId: 'rev-1',
    cause,
  });
  const open: ReviewTaskDoc = {
    id: 't-1',
    buyerId: 'globex',
    partnerId: 'acme',
    task,
    state: 'open',
    dueMs: Date.parse('2027-04-01T00:00:00.000Z'),
    openedAt: '2027-01-02T00:00:00.000Z',
  };
  const done: ReviewTaskDoc = {
    ...open,
    state: 'closed',
    closedAt: '2027-03-01T00:00:00.000Z',
    outcome: 'reviewed',
    reviewId: 'rev-1',
  };
  const rows: {
    name: string;
    given: ReviewTaskDoc | undefined;
    when: typeof opened | typeof closed;
    expected: ReviewTaskDoc | undefined;
  }[] = [
    {
      name: 'an opening makes an open task, due at its date',
      given: undefined,
      when: opened,
      expected: open,
    },
    { name: 'an opening seen again changes nothing', given: open, when: opened, expected: undefined },
    { name: 'a close keeps when it was opened', given: open, when: closed, expected: done },
    { name: 'a close seen again is the same', given: done, when: closed, expected: done },
    { name: 'an opening after its close changes nothing', given: done, when: opened, expected: undefined },
    {
      name: 'a close seen first takes its own time as the opening',
      given: undefined,
      when: closed,
      expected: { ...done, openedAt: '2027-03-01T00:00:00.000Z' },
    },
  ];
  it.each(rows)('$name', ({ given, when, expected }) => {
    expect(evolveTask(given, when)).toEqual(expected);
  });
});

describe('historyDocOf', () => {
  it("one entry per version of a pair's decision, with what caused it", () => {
    const decision = { buyerId: 'globex', partnerId: 'acme', status: 'exempt' } as PartnerDecision;
    const cause = { kind: 'time' as const };
    expect(
      historyDocOf(
        envelope('org.pdx.partner.status.changed.v1', {
          decision,
          previousStatus: 'pending-review',
          cause,
          version: 3,
        }),
      ),
    ).toEqual({
      id: 'globex~acme~3',
      buyerId: 'globex',
      partnerId: 'acme',
      version: 3,
      decision,
      previousStatus: 'pending-review',
      cause,
    });
    expect(
      historyDocOf(envelope('org.pdx.partner.status.changed.v1', { decision, cause, version: 1 })),
    ).toEqual({
      id: 'globex~acme~1',
      buyerId: 'globex',
      partnerId: 'acme',
      version: 1,
      decision,
      cause,
    });
  });
});

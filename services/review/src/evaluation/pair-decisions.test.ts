import {
  type Certificate,
  type DecisionContext,
  deterministicEventId,
  type PartnerDecision,
  type PdxEvent,
  SchemaRegistry,
} from '@pdx/contracts';
import { linkDoc } from '@pdx/read-models/testing';
import {
  areaCodes,
  type BuyerPolicy,
  type DeclarationFact,
  defaultReviewPolicy,
  type PartnerFacts,
  type ReviewRecord,
} from '@pdx/rules';
import { defaultRecognisedSchemes } from '@pdx/schemes';
import { loadCatalogues } from '@pdx/schemes/load';
import type { Decision } from '@pdx/store';
import { describe, expect, it } from 'vitest';
import type { LinkDoc, StatusRecord } from '../facts/fact-docs.js';
import {
  type Cause,
  decidePair,
  exemptionChange,
  exemptionOf,
  type PairInput,
  type PairOutcome,
  pairId,
  rulesInForce,
} from './pair-decisions.js';

const decision = (overrides: Partial<PartnerDecision>): PartnerDecision => ({
  buyerId: 'globex',
  partnerId: 'acme',
  status: 'exempt',
  clauses: ['4.4(c)'],
  basis: [{ kind: 'certificate', clause: '4.4(c)', certificateId: 'eu-aeo-aeos~a', schemeId: 'eu-aeo-aeos' }],
  functions: [],
  obligations: [],
  evaluatedAt: '2027-06-01T00:00:00.000Z',
  policyVersion: 0,
  catalogueVersion: 1,
  ...overrides,
});
const onA = { clause: '4.4(c)' as const, certificateIds: ['eu-aeo-aeos~a'] };
const onB = { clause: '4.4(c)' as const, certificateIds: ['eu-aeo-aeos~b'] };

describe('the exemption between two decisions', () => {
  it('is read from an exempt decision only: its clause and certificates, sorted', () => {
    expect(exemptionOf(decision({}))).toEqual(onA);
    expect(
      exemptionOf(
        decision({
          clauses: ['4.3', '4.4(b)'],
          basis: [
            { kind: 'certificate', clause: '4.3', certificateId: 'isps~z', schemeId: 'isps-issc' },
            { kind: 'certificate', clause: '4.3', certificateId: 'isps~m', schemeId: 'isps-issc' },
          ],
        }),
      ),
    ).toEqual({ clause: '4.4(b)', certificateIds: ['isps~m', 'isps~z'] });
    expect(exemptionOf(decision({ status: 'credible', clauses: ['4.2', '4.5'], basis: [] }))).toBeUndefined();
    expect(exemptionOf(undefined)).toBeUndefined();
  });

  it('begins, ends, or stays the same', () => {
    expect(exemptionChange(undefined, onA)).toEqual({ kind: 'granted', exemption: onA });
    expect(exemptionChange(onA, undefined)).toEqual({ kind: 'revoked', exemption: onA });
    expect(exemptionChange(onA, { ...onA, certificateIds: [...onA.certificateIds] })).toBeUndefined();
    expect(exemptionChange(undefined, undefined)).toBeUndefined();
  });

  it('exempt on both sides on another basis is one change of basis, with the old and the new', () => {
    // A renewal with a new certificate, or another recognised certificate taking over.
    expect(exemptionChange(onA, onB)).toEqual({ kind: 'basis-changed', previous: onA, exemption: onB });
    // Another clause on the same certificates is another basis too.
    const asVerified = { clause: '4.4(a)' as const, certificateIds: onA.certificateIds };
    expect(exemptionChange(onA, asVerified)).toEqual({
      kind: 'basis-changed',
      previous: onA,
      exemption: asVerified,
    });
  });

  it('with a decision without an exemption in between (a gap) is a revocation, then a grant', () => {
    const steps = [onA, undefined, onB];
    expect(steps.slice(1).map((after, i) => exemptionChange(steps[i], after)?.kind)).toEqual([
      'revoked',
      'granted',
    ]);
  });
});

const registry = new SchemaRegistry();
const catalogues = loadCatalogues(registry);
const DAY = 86_400_000;
const now = Date.parse('2027-06-01T00:00:00Z');
const at = (days: number) => new Date(now + days * DAY).toISOString();
const context: DecisionContext = { now, source: 'urn:pdx:test:review', registry };
const pair = { buyerId: 'globex', partnerId: 'acme' };
const id = pairId(pair);
const rules = rulesInForce(catalogues);
const cause: Cause = { kind: 'event', eventId: 'e-1', eventType: 'org.pdx.certificate.registered.v1' };
const policy: BuyerPolicy = {
  buyerId: 'globex',
  version: 3,
  schemes: defaultRecognisedSchemes(catalogues, 'DE'),
  issuers: {},
  review: defaultReviewPolicy,
};
const link = (state: LinkDoc['state'] = 'accepted'): LinkDoc =>
  linkDoc({ ...pair, state, functions: ['warehouse'], locations: ['DEHAM'] });
const aeo = (n: number): Certificate => ({
  certificateId: `eu-aeo-aeos~${String(n).padStart(20, '0')}`,
  schemeId: 'eu-aeo-aeos',
  number: `DE AEOS ${n}`,
  holder: 'acme',
  trust: 'attested',
  issuer: 'zoll',
  scope: { functions: ['warehouse'] },
  validFrom: at(-365),
  state: 'active',
  confirmations: [],
  version: 1,
});
const declaration: DeclarationFact = {
  declarationId: 'dos-1',
  recipients: ['globex'],
  issuedAt: at(-10),
  validFrom: at(-10),
  validUntil: at(355),
  areas: [...areaCodes],
};
const review: ReviewRecord = {
  reviewId: 'rev-1',
  declarationId: 'dos-1',
  reviewedAt: at(-1),
  reviewer: 'J. Doe',
  method: 'site-visit',
  outcome: 'credible',
  findings: [],
};
const facts = (overrides: Partial<PartnerFacts> = {}): PartnerFacts => ({
  ...pair,
  country: 'DE',
  functions: ['warehouse'],
  locations: ['DEHAM'],
  certificates: [],
  declarations: [],
  reviews: [],
  incidents: [],
  ...overrides,
});
const input = (overrides: Partial<PairInput> = {}): PairInput => ({
  pair,
  cause,
  link: link(),
  policy,
  facts: facts(),
  catalogues,
  rules,
  ...overrides,
});

type PairDecision = Decision<StatusRecord, PdxEvent, PairOutcome>;
/** The record as the store holds it after a change was committed. */
function committed(record: StatusRecord | undefined, decision: PairDecision): StatusRecord {
  if (decision.kind !== 'change') throw new Error(`expected a change, got ${decision.kind}`);
  return { ...decision.next, version: (record?.version ?? 0) + 1, outbox: [], pending: false };
}
/** The record after the given facts were decided, from nothing. */
function decided(over: Partial<PairInput> = {}): StatusRecord {
  return committed(undefined, decidePair(undefined, input(over), context));
}
const exempt = () => decided({ facts: facts({ certificates: [aeo(1)] }) });
const pendingReview = () => decided({ facts: facts({ declarations: [declaration] }) });

const types = (d: PairDecision) =>
  d.kind === 'change' ? d.events.map((e) => e.type.replace(/^org\.pdx\.|\.v1$/g, '')) : [];
const dataOf = (d: PairDecision, type: string) =>
  (d.kind === 'change' ? d.events.find((e) => e.type === `org.pdx.${type}.v1`)?.data : undefined) as
    | Record<string, unknown>
    | undefined;

describe('deciding a pair', () => {
  const rows: {
    name: string;
    record?: () => StatusRecord;
    input: Partial<PairInput>;
    kind: PairDecision['kind'];
    value: PairOutcome;
    events: string[];
    check?: (d: PairDecision, record: StatusRecord | undefined) => void;
  }[] = [
    {
      name: 'nothing to do for this cause any more (another replica decided it): unchanged',
      record: exempt,
      input: { cause: undefined, facts: facts() },
      kind: 'unchanged',
      value: 'unchanged',
      events: [],
    },
    {
      name: 'not linked, never decided: unchanged',
      input: { link: undefined, policy: undefined, facts: undefined },
      kind: 'unchanged',
      value: 'unchanged',
      events: [],
    },
    {
      name: 'a link only offered, never decided: unchanged',
      input: { link: link('offered'), policy: undefined, facts: undefined },
      kind: 'unchanged',
      value: 'unchanged',
      events: [],
    },
    {
      name: 'linked, first decision, exempt: status changed, exemption granted',
      input: { facts: facts({ certificates: [aeo(1)] }) },
      kind: 'change',
      value: 'changed',
      events: ['partner.status.changed', 'exemption.granted'],
      check: (d) => {
        expect(dataOf(d, 'partner.status.changed')).toMatchObject({ cause, version: 1 });
        expect(dataOf(d, 'partner.status.changed')).not.toHaveProperty('previousStatus');
        expect(dataOf(d, 'exemption.granted')).toEqual({
          ...pair,
          clause: '4.4(c)',
          certificateIds: [aeo(1).certificateId],
          at: at(0),
          policyVersion: 3,
          cause,
        });
        if (d.kind !== 'change') return;
        expect(d.next).toMatchObject({
          id,
          ...pair,
          linked: true,
          scheduled: false,
          rulesEngineVersion: rules.engineVersion,
        });
        expect(d.next.decision).toMatchObject({ status: 'exempt', policyVersion: 3 });
        expect(d.next).not.toHaveProperty('taskId');
      },
    },
    {
      name: 'linked, first decision, a review owed: status changed, review task opened',
      input: { facts: facts({ declarations: [declaration] }) },
      kind: 'change',
      value: 'changed',
      events: ['partner.status.changed', 'review-task.opened'],
      check: (d) => {
        const opened = dataOf(d, 'review-task.opened');
        expect(opened).toMatchObject({
          ...pair,
          taskId: deterministicEventId('review-task.opened', id, '1'),
          task: { declarationId: 'dos-1', reason: 'first-review' },
          openedAt: at(0),
          cause,
        });
        if (d.kind !== 'change') return;
        expect(d.next.decision.status).toBe('pending-review');
        expect(d.next.taskId).toBe(opened?.taskId);
        expect(d.next.scheduled).toBe(true);
        expect(d.next.nextChangeMs).toBe(Date.parse(d.next.decision.nextChangeAt!));
      },
    },
    {
      name: 'the same material decision under the same policy and rules: unchanged',
      record: exempt,
      input: { facts: facts({ certificates: [aeo(1)] }), cause: { kind: 'time' } },
      kind: 'unchanged',
      value: 'unchanged',
      events: [],
    },
    {
      name: 'the same decision under a new policy version: stamped only, no event, counted unchanged',
      record: exempt,
      input: { facts: facts({ certificates: [aeo(1)] }), policy: { ...policy, version: 4 } },
      kind: 'change',
      value: 'unchanged',
      events: [],
      check: (d, record) => {
        if (d.kind !== 'change') return;
        expect(d.next.decision).toEqual({ ...record!.decision, policyVersion: 4 });
        expect(d.next.linked).toBe(true);
      },
    },
    {
      name: 'the same decision made under an earlier rules engine: stamped with the rules in force',
      record: () => ({ ...exempt(), rulesEngineVersion: 1 }),
      input: {
        facts: facts({ certificates: [aeo(1)] }),
        cause: { kind: 'rules-changed', previousRules: { ...rules, engineVersion: 1 }, rules },
      },
      kind: 'change',
      value: 'unchanged',
      events: [],
      check: (d) => {
        if (d.kind !== 'change') return;
        expect(d.next.rulesEngineVersion).toBe(rules.engineVersion);
        expect(d.next.decision.catalogueVersion).toBe(rules.catalogueVersion);
      },
    },
    {
      name: 'the link ended with an exemption: exemption revoked, the pair unlinked, its decision kept',
      record: exempt,
      input: { link: link('ended'), policy: undefined, facts: undefined },
      kind: 'change',
      value: 'changed',
      events: ['exemption.revoked'],
      check: (d, record) => {
        expect(dataOf(d, 'exemption.revoked')).toMatchObject({
          clause: '4.4(c)',
          policyVersion: 3,
          at: at(0),
        });
        if (d.kind !== 'change') return;
        expect(d.events[0]!.id).toBe(deterministicEventId('exemption.revoked', id, '2'));
        expect(d.next).toMatchObject({ linked: false, scheduled: false, decision: record!.decision });
      },
    },
    {
      name: 'the link ended with a review task open: the task closed as not required',
      record: pendingReview,
      input: { link: undefined, policy: undefined, facts: undefined },
      kind: 'change',
      value: 'changed',
      events: ['review-task.closed'],
      check: (d, record) => {
        expect(dataOf(d, 'review-task.closed')).toMatchObject({
          taskId: record!.taskId,
          outcome: 'not-required',
          closedAt: at(0),
        });
        expect(dataOf(d, 'review-task.closed')).not.toHaveProperty('reviewId');
        if (d.kind !== 'change') return;
        expect(d.next).not.toHaveProperty('taskId');
      },
    },
    {
      name: 'a review that now grounds the decision: status changed, task closed reviewed, the next one opened',
      record: pendingReview,
      input: { facts: facts({ declarations: [declaration], reviews: [review] }) },
      kind: 'change',
      value: 'changed',
      events: ['partner.status.changed', 'review-task.closed', 'review-task.opened'],
      check: (d, record) => {
        expect(dataOf(d, 'partner.status.changed')).toMatchObject({
          previousStatus: 'pending-review',
          version: 2,
        });
        expect(dataOf(d, 'review-task.closed')).toMatchObject({
          taskId: record!.taskId,
          outcome: 'reviewed',
          reviewId: 'rev-1',
        });
        expect(dataOf(d, 'review-task.opened')).toMatchObject({ task: { reason: 'periodic' } });
        if (d.kind !== 'change') return;
        expect(d.next.decision.status).toBe('credible');
        expect(d.next.taskId).toBe(deterministicEventId('review-task.opened', id, '2'));
      },
    },
    {
      name: 'exempt on another certificate: status changed, one change of basis with the old and the new',
      record: exempt,
      input: { facts: facts({ certificates: [aeo(2)] }) },
      kind: 'change',
      value: 'changed',
      events: ['partner.status.changed', 'exemption.basis-changed'],
      check: (d) =>
        expect(dataOf(d, 'exemption.basis-changed')).toMatchObject({
          certificateIds: [aeo(2).certificateId],
          previous: { clause: '4.4(c)', certificateIds: [aeo(1).certificateId] },
        }),
    },
    {
      name: 'exempt no more (the certificate gone), still linked: status changed, exemption revoked, a declaration required',
      record: exempt,
      input: { facts: facts() },
      kind: 'change',
      value: 'changed',
      events: ['partner.status.changed', 'exemption.revoked'],
      check: (d) => {
        expect(dataOf(d, 'partner.status.changed')).toMatchObject({
          previousStatus: 'exempt',
          decision: { status: 'declaration-required' },
        });
        expect(dataOf(d, 'exemption.revoked')).toMatchObject({ policyVersion: 3 });
      },
    },
    {
      name: 'linked again after the link ended: decided anew as a first decision (no previous status)',
      record: () => ({ ...exempt(), linked: false }),
      input: { facts: facts({ certificates: [aeo(1)] }) },
      kind: 'change',
      value: 'changed',
      events: ['partner.status.changed', 'exemption.granted'],
      check: (d) => expect(dataOf(d, 'partner.status.changed')).not.toHaveProperty('previousStatus'),
    },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const record = row.record?.();
      const d = decidePair(record, input(row.input), context);
      expect(d.kind).toBe(row.kind);
      expect(d.kind === 'refused' ? undefined : d.value).toBe(row.value);
      expect(types(d)).toEqual(row.events);
      row.check?.(d, record);
    });
  }

  it('names every event by the pair, its kind and the next version, so a repeated decision repeats them', () => {
    const record = exempt();
    const first = decidePair(record, input({ facts: facts() }), context);
    const again = decidePair(record, input({ facts: facts() }), context);
    expect(first).toEqual(again);
    if (first.kind !== 'change') throw new Error('expected a change');
    expect(first.events.map((e) => e.id)).toEqual([
      deterministicEventId('partner.status.changed', id, '2'),
      deterministicEventId('exemption.revoked', id, '2'),
    ]);
    expect(first.events.every((e) => e.subject === 'acme' && e.source === context.source)).toBe(true);
    expect(first.events.every((e) => e.time === at(0))).toBe(true);
  });

  it('is told an accepted link with its policy and facts (a caller that did not read them is a bug)', () => {
    expect(() => decidePair(undefined, input({ facts: undefined }), context)).toThrow(TypeError);
  });
});

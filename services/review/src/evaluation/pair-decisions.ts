import {
  assertNever,
  canonicalJson,
  type DecisionContext,
  decidedEvent,
  deterministicEventId,
  type PartnerDecision,
  type PdxEvent,
  type ReviewTaskClosedV1,
  type ReviewTaskOpenedV1,
  relationshipId,
} from '@pdx/contracts';
import {
  type BuyerPolicy,
  evaluate,
  type PartnerFacts,
  RULES_ENGINE_VERSION,
  type Decision as RulesDecision,
} from '@pdx/rules';
import type { Catalogues } from '@pdx/schemes';
import type { Decision, Unversioned } from '@pdx/store';
import type { Pair } from '../facts/apply-fact-event.js';
import { type LinkDoc, NEVER, type RulesVersion, type StatusRecord } from '../facts/fact-docs.js';

/** What made a decision change: an event, a computed date passing, or the rules changing. */
export type Cause =
  | { kind: 'event'; eventId: string; eventType: string }
  | { kind: 'time' }
  | { kind: 'rules-changed'; previousRules: RulesVersion; rules: RulesVersion };

/** How an evaluation is counted: a new decision, or none (a decision only stamped is none). */
export type PairOutcome = 'changed' | 'unchanged';

/** The rules this service decides under: its scheme catalogue and the rules engine. */
export const rulesInForce = (catalogues: Catalogues): RulesVersion => ({
  catalogueVersion: catalogues.schemes.version,
  engineVersion: RULES_ENGINE_VERSION,
});

/** The rules a stored decision was made under (version 1 of the engine if it did not say). */
export const rulesOf = (record: StatusRecord): RulesVersion => ({
  catalogueVersion: record.decision.catalogueVersion,
  engineVersion: record.rulesEngineVersion ?? 1,
});

export const sameRules = (a: RulesVersion, b: RulesVersion) =>
  a.catalogueVersion === b.catalogueVersion && a.engineVersion === b.engineVersion;

export const pairId = (p: Pair) => relationshipId(p.buyerId, p.partnerId);

/** An exemption (ISO 28001 4.4): its clause and the certificates it rests on, sorted. */
export interface Exemption {
  clause: '4.4(a)' | '4.4(b)' | '4.4(c)';
  certificateIds: string[];
}

/** The exemption a decision grants (undefined: none). */
export function exemptionOf(d: PartnerDecision | undefined): Exemption | undefined {
  if (d?.status !== 'exempt') return undefined;
  const clause = d.clauses.includes('4.4(b)') ? '4.4(b)' : d.clauses.includes('4.4(a)') ? '4.4(a)' : '4.4(c)';
  const certificateIds = d.basis
    .flatMap((g) => (g.certificateId === undefined ? [] : [g.certificateId]))
    .sort();
  return { clause, certificateIds };
}

/** What happened to a pair's exemption between two decisions. */
export type ExemptionChange =
  | { kind: 'granted'; exemption: Exemption }
  | { kind: 'revoked'; exemption: Exemption }
  | { kind: 'basis-changed'; previous: Exemption; exemption: Exemption };

/**
 * The one change between the exemption in force before and the one after (undefined: none).
 * A partner exempt on both sides stayed exempt throughout — a renewal with a new certificate,
 * another recognised certificate taking over, another clause — so that is one change of
 * basis, not an end and a new start at the same instant. An exemption that ends and is
 * granted again later (a suspension lifted) went through a decision without one: a
 * revocation, then a grant.
 */
export function exemptionChange(
  before: Exemption | undefined,
  after: Exemption | undefined,
): ExemptionChange | undefined {
  if (before && after) {
    return canonicalJson(before) === canonicalJson(after)
      ? undefined
      : { kind: 'basis-changed', previous: before, exemption: after };
  }
  if (before) return { kind: 'revoked', exemption: before };
  if (after) return { kind: 'granted', exemption: after };
  return undefined;
}

/** What a decision says, without when it was made: a change of this is a change of status. */
const material = (d: PartnerDecision | RulesDecision) =>
  canonicalJson({
    status: d.status,
    clauses: d.clauses,
    basis: d.basis,
    functions: d.functions,
    obligations: d.obligations,
    riskTier: d.riskTier,
    reviewTask: d.reviewTask,
  });

/**
 * The review-task changes between two decisions: the task owed before is closed — reviewed
 * (a review the decision did not rest on before now grounds it), replaced by another task,
 * or no longer required — and a new task owed is opened.
 */
function taskChanges(
  pair: Pair,
  before: { decision: PartnerDecision; taskId: string } | undefined,
  after: PartnerDecision | undefined,
  ids: { at: string; cause: Cause; newTaskId: string },
): { closed?: ReviewTaskClosedV1; opened?: ReviewTaskOpenedV1 } {
  const { at, cause } = ids;
  const was = before?.decision.reviewTask;
  const owed = after?.reviewTask;
  if (canonicalJson(was ?? null) === canonicalJson(owed ?? null)) return {};
  const wasId = before?.taskId;
  const owedId = owed && ids.newTaskId;
  const known = new Set(
    before?.decision.basis.flatMap((g) => (g.reviewId === undefined ? [] : [g.reviewId])),
  );
  const review = after?.basis.find((g) => g.kind === 'review' && !known.has(g.reviewId ?? ''));
  return {
    ...(was && wasId
      ? {
          closed: {
            taskId: wasId,
            ...pair,
            task: was,
            closedAt: at,
            outcome: review ? 'reviewed' : owed ? 'replaced' : 'not-required',
            ...(review?.reviewId === undefined ? {} : { reviewId: review.reviewId }),
            cause,
          },
        }
      : {}),
    ...(owed && owedId ? { opened: { taskId: owedId, ...pair, task: owed, openedAt: at, cause } } : {}),
  };
}

/** What follows a pair's new decision besides the record: its events and the review task then open. */
export interface PairEvents {
  events: PdxEvent[];
  /** The id of the review task open after the change (undefined: none owed). */
  taskId?: string;
}

/**
 * The events that follow a pair's new decision (`after`; undefined: the pair is no longer
 * linked), given the record as it was: `partner.status.changed.v1` with the cause (for a new
 * decision), the review task closed (reviewed, replaced or not required) and the one owed
 * now opened, and `exemption.granted.v1` / `exemption.revoked.v1` when an exemption begins or
 * ends, or `exemption.basis-changed.v1` when the partner stays exempt on other certificates
 * or another clause. A task keeps its id until its content changes. Event ids follow from the
 * pair and the record's next version, so a repeated decision repeats them exactly.
 */
export function pairEvents(
  record: StatusRecord | undefined,
  after: { decision: PartnerDecision; policyVersion: number } | undefined,
  { pair, cause }: { pair: Pair; cause: Cause },
  context: DecisionContext,
): PairEvents {
  const id = pairId(pair);
  const version = (record?.version ?? 0) + 1;
  const at = new Date(context.now).toISOString();
  const base = (kind: string) => ({
    id: deterministicEventId(kind, id, String(version)),
    subject: pair.partnerId,
  });
  const linked = record?.linked ? record : undefined;

  const exemption = (): PdxEvent[] => {
    const change = exemptionChange(exemptionOf(linked?.decision), exemptionOf(after?.decision));
    if (!change) return [];
    const policyVersion = after ? after.policyVersion : (linked?.decision.policyVersion ?? 0);
    const data = { ...pair, ...change.exemption, at, policyVersion, cause };
    switch (change.kind) {
      case 'granted':
        return [
          decidedEvent(context, { ...base('exemption.granted'), type: 'org.pdx.exemption.granted.v1', data }),
        ];
      case 'revoked':
        return [
          decidedEvent(context, { ...base('exemption.revoked'), type: 'org.pdx.exemption.revoked.v1', data }),
        ];
      case 'basis-changed':
        return [
          decidedEvent(context, {
            ...base('exemption.basis-changed'),
            type: 'org.pdx.exemption.basis-changed.v1',
            data: { ...data, previous: change.previous },
          }),
        ];
      default:
        return assertNever(change);
    }
  };

  const { closed, opened } = taskChanges(
    pair,
    linked?.taskId === undefined ? undefined : { decision: linked.decision, taskId: linked.taskId },
    after?.decision,
    { at, cause, newTaskId: base('review-task.opened').id },
  );
  const tasks = [
    ...(closed
      ? [
          decidedEvent(context, {
            ...base('review-task.closed'),
            type: 'org.pdx.review-task.closed.v1',
            data: closed,
          }),
        ]
      : []),
    ...(opened
      ? [
          decidedEvent(context, {
            ...base('review-task.opened'),
            type: 'org.pdx.review-task.opened.v1',
            data: opened,
          }),
        ]
      : []),
  ];
  const taskId = opened ? opened.taskId : after?.decision.reviewTask ? record?.taskId : undefined;

  if (!after) return { events: [...exemption(), ...tasks] };
  const status = decidedEvent(context, {
    ...base('partner.status.changed'),
    type: 'org.pdx.partner.status.changed.v1',
    data: {
      decision: after.decision,
      ...(linked ? { previousStatus: linked.decision.status } : {}),
      cause,
      version,
    },
  });
  const events = [status, ...tasks, ...exemption()];
  return taskId === undefined ? { events } : { events, taskId };
}

/** What a pair is decided on, read by the caller: the link, and with an accepted one its policy and facts. */
export interface PairInput {
  pair: Pair;
  /** Why it is decided now; undefined: nothing to do for this reason any more. */
  cause: Cause | undefined;
  link: LinkDoc | undefined;
  /** The buyer's recognition policy in force (read when the link is accepted). */
  policy?: BuyerPolicy;
  /** The pair's facts whose signatures still stand (read when the link is accepted). */
  facts?: PartnerFacts;
  catalogues: Catalogues;
  /** The rules in force (scheme catalogue and rules engine versions). */
  rules: RulesVersion;
}

type StatusContent = Unversioned<StatusRecord>;

/** The record's content without what the outbox adds (version, outbox, claim). */
function contentOf(record: StatusRecord): StatusContent {
  const { version: _v, outbox: _o, pending: _p, claimedUntilMs: _c, ...content } = record;
  return content;
}

/**
 * Decides one (buyer, partner) pair with the rules engine. A new decision is recorded with
 * its events (see pairEvents). A pair whose link is no longer accepted keeps its last
 * decision, unlinked; an exemption it had ends and its open task closes. Every decision
 * recorded says the rules it was made under; an unchanged decision made under other rules
 * (or another policy version) is only stamped with the ones in force, with no event, and
 * counts as unchanged.
 */
export function decidePair(
  record: StatusRecord | undefined,
  input: PairInput,
  context: DecisionContext,
): Decision<StatusRecord, PdxEvent, PairOutcome> {
  const { pair, cause, link, rules } = input;
  if (cause === undefined) return { kind: 'unchanged', value: 'unchanged' };
  if (link?.state !== 'accepted') {
    if (!record?.linked) return { kind: 'unchanged', value: 'unchanged' };
    const { events } = pairEvents(record, undefined, { pair, cause }, context);
    const { taskId: _closed, ...rest } = contentOf(record);
    return {
      kind: 'change',
      next: { ...rest, linked: false, scheduled: false, nextChangeMs: NEVER },
      events,
      value: 'changed',
    };
  }
  if (!input.policy || !input.facts) {
    throw new TypeError('decidePair: an accepted link is decided with its policy and facts');
  }
  const { policy } = input;
  const decision = evaluate(input.facts, policy, input.catalogues, context.now);
  const nextChangeMs = decision.nextChangeAt === undefined ? NEVER : Date.parse(decision.nextChangeAt);
  if (record?.linked && material(record.decision) === material(decision)) {
    // The same answer: no event. A new policy version, scheme catalogue or rules engine
    // that left it unchanged is still recorded, so the decision in force says which policy
    // and rules it holds under (and the start-up re-evaluation does not take it up again).
    if (
      record.nextChangeMs === nextChangeMs &&
      record.decision.policyVersion === policy.version &&
      sameRules(rulesOf(record), rules)
    )
      return { kind: 'unchanged', value: 'unchanged' };
    return {
      kind: 'change',
      next: {
        ...contentOf(record),
        decision: {
          ...record.decision,
          policyVersion: policy.version,
          catalogueVersion: rules.catalogueVersion,
        },
        rulesEngineVersion: rules.engineVersion,
        scheduled: nextChangeMs !== NEVER,
        nextChangeMs,
      },
      events: [],
      value: 'unchanged',
    };
  }
  const owed = pairEvents(record, { decision, policyVersion: policy.version }, { pair, cause }, context);
  return {
    kind: 'change',
    next: {
      id: pairId(pair),
      ...pair,
      decision,
      linked: true,
      scheduled: nextChangeMs !== NEVER,
      nextChangeMs,
      ...(owed.taskId === undefined ? {} : { taskId: owed.taskId }),
      rulesEngineVersion: rules.engineVersion,
    },
    events: owed.events,
    value: 'changed',
  };
}

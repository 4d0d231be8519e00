import {
  assertNever,
  canonicalJson,
  createEvent,
  deterministicEventId,
  type PartnerDecision,
  type PdxEvent,
  type ReviewTaskClosedV1,
  type ReviewTaskOpenedV1,
  relationshipId,
  type SchemaRegistry,
} from '@pdx/contracts';
import { linkScope } from '@pdx/read-models';
import {
  type BuyerPolicy,
  type Decision,
  defaultReviewPolicy,
  evaluate,
  type PartnerFacts,
  RULES_ENGINE_VERSION,
  reviewPolicyOf,
} from '@pdx/rules';
import type { Clock, Logger } from '@pdx/runtime';
import { type Catalogues, defaultRecognisedSchemes } from '@pdx/schemes';
import { type Collection, commitChange, flushOutbox, type OutboxPublisher } from '@pdx/store';
import type { FactStore, Pair } from '../facts/apply-fact-event.js';
import {
  type LinkDoc,
  NEVER,
  type PartyDoc,
  type RulesVersion,
  type StatusRecord,
} from '../facts/fact-docs.js';
import type { PartnerRowDoc } from '../partner-list/partner-list.js';
import { refreshPartnerRow } from '../partner-list/partner-rows.js';
import { type Exemption, exemptionChange, exemptionOf } from './exemption-change.js';
import { standingFacts } from './signature-standing.js';

export interface EvaluationDeps extends FactStore {
  statuses: Collection<StatusRecord>;
  catalogues: Catalogues;
  bus: OutboxPublisher<PdxEvent>;
  registry: SchemaRegistry;
  clock: Clock;
  logger: Logger;
  source: string;
  /** Counts evaluations by cause (event, time, rules-changed) and outcome (changed, unchanged). */
  evaluations?: { inc(labels: { cause: Cause['kind']; outcome: 'changed' | 'unchanged' }): void };
  /** The buyers' partner lists, brought in line with each pair evaluated (when kept). */
  partnerRows?: Collection<PartnerRowDoc>;
}

/** What made a decision change: an event, a computed date passing, or the rules changing. */
export type Cause =
  | { kind: 'event'; eventId: string; eventType: string }
  | { kind: 'time' }
  | { kind: 'rules-changed'; previousRules: RulesVersion; rules: RulesVersion };

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

/** The buyer's recognition policy in force, or the default for its country (version 0). */
async function policyFor(deps: EvaluationDeps, buyerId: string): Promise<BuyerPolicy> {
  const set = await deps.policies.get(buyerId);
  if (set) {
    return {
      buyerId,
      version: set.version,
      schemes: set.schemes,
      issuers: set.issuers,
      review: reviewPolicyOf(set.review),
    };
  }
  const country = (await deps.parties.get(buyerId))?.country ?? '';
  return {
    buyerId,
    version: 0,
    schemes: defaultRecognisedSchemes(deps.catalogues, country),
    issuers: {},
    review: defaultReviewPolicy,
  };
}

/**
 * The facts of a pair as the rules engine sees them: only declarations and certificate
 * attestations whose signatures still stand with their signers' keys as they are now.
 */
async function factsOf(deps: EvaluationDeps, link: LinkDoc): Promise<PartnerFacts> {
  const { buyerId, partnerId } = link;
  const partner = await deps.parties.get(partnerId);
  const declarations = await deps.declarations.find({ issuer: partnerId });
  const certificates = await deps.certificates.find({ holder: partnerId });
  const parties = new Map<string, PartyDoc | undefined>([[partnerId, partner]]);
  for (const { certificate: c } of certificates) {
    if (c.attestation !== undefined && c.issuer !== undefined && !parties.has(c.issuer))
      parties.set(c.issuer, await deps.parties.get(c.issuer));
  }
  const standing = standingFacts(declarations, certificates, (id) => parties.get(id)?.keys);
  return {
    buyerId,
    partnerId,
    country: partner?.country ?? '',
    ...linkScope(link),
    certificates: standing.certificates,
    declarations: standing.declarations,
    reviews: (await deps.reviews.find({ buyerId, partnerId })).map((d) => d.review),
    incidents: (await deps.incidents.find({ buyerId, partnerId })).map((d) => d.incident),
  };
}

/** What a decision says, without when it was made: a change of this is a change of status. */
const material = (d: PartnerDecision | Decision) =>
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

/**
 * Evaluates one (buyer, partner) pair with the rules engine and, when the decision changed,
 * records it with its events through the outbox: `partner.status.changed.v1` with the cause,
 * and `exemption.granted.v1` / `exemption.revoked.v1` when an exemption begins or ends, or
 * `exemption.basis-changed.v1` when the partner stays exempt on other certificates or
 * another clause. A pair whose link is no longer accepted keeps its last decision,
 * unlinked; an exemption it had ends. Every decision recorded says the rules it was made
 * under; an unchanged decision made under other rules (or another policy version) is only
 * stamped with the ones in force, with no event.
 *
 * `causeOf` may instead be a function of the record as read, asked again whenever a
 * concurrent change makes the evaluation start over: the cause then names what that record
 * was decided under, and `undefined` means there is nothing to do for this reason any more
 * (another replica decided the pair meanwhile).
 */
export async function evaluatePair(
  deps: EvaluationDeps,
  pair: Pair,
  causeOf: Cause | ((record: StatusRecord | undefined) => Cause | undefined),
): Promise<'changed' | 'unchanged'> {
  const outcome = await decidePair(deps, pair, causeOf);
  // Also when unchanged: a certificate or registration the decision ignores may still be
  // something the buyer searches by.
  if (deps.partnerRows) await refreshPartnerRow({ ...deps, partnerRows: deps.partnerRows }, pair);
  // A cause asked of the record is the start-up pass over decisions made under other rules.
  deps.evaluations?.inc({ cause: typeof causeOf === 'function' ? 'rules-changed' : causeOf.kind, outcome });
  return outcome;
}

async function decidePair(
  deps: EvaluationDeps,
  pair: Pair,
  causeOf: Cause | ((record: StatusRecord | undefined) => Cause | undefined),
): Promise<'changed' | 'unchanged'> {
  const id = pairId(pair);
  const rules = rulesInForce(deps.catalogues);
  /**
   * Nothing new to decide: but what an earlier attempt recorded may still wait in the
   * outbox (the log did not acknowledge it), and the event being handled counts as done
   * only once its effects are in the log, so it goes out now (at-least-once delivery) —
   * unless its writer is still publishing it (its claim), which then settles it.
   */
  const unchanged = async (record: StatusRecord | undefined) => {
    if (record?.pending) await flushOutbox(deps, deps.statuses, record);
    return 'unchanged' as const;
  };
  for (;;) {
    const record = await deps.statuses.get(id);
    const cause = typeof causeOf === 'function' ? causeOf(record) : causeOf;
    if (cause === undefined) return unchanged(record);
    const link = await deps.links.get(id);
    const now = deps.clock.now();
    const at = new Date(now).toISOString();
    const events: PdxEvent[] = [];
    const version = (record?.version ?? 0) + 1;
    const eventBase = (kind: string) => ({
      id: deterministicEventId(kind, id, String(version)),
      subject: pair.partnerId,
      source: deps.source,
      time: now,
    });
    const before = record?.linked ? exemptionOf(record.decision) : undefined;
    /** The one exemption event between the record's exemption and `after`, if any. */
    const exemptionEvent = (after: Exemption | undefined, policyVersion: number) => {
      const change = exemptionChange(before, after);
      if (!change) return;
      const data = { ...pair, ...change.exemption, at, policyVersion, cause };
      switch (change.kind) {
        case 'granted':
          events.push(
            createEvent(deps.registry, {
              ...eventBase('exemption.granted'),
              type: 'org.pdx.exemption.granted.v1',
              data,
            }),
          );
          return;
        case 'revoked':
          events.push(
            createEvent(deps.registry, {
              ...eventBase('exemption.revoked'),
              type: 'org.pdx.exemption.revoked.v1',
              data,
            }),
          );
          return;
        case 'basis-changed':
          events.push(
            createEvent(deps.registry, {
              ...eventBase('exemption.basis-changed'),
              type: 'org.pdx.exemption.basis-changed.v1',
              data: { ...data, previous: change.previous },
            }),
          );
          return;
        default:
          assertNever(change);
      }
    };
    /** The task events between the record's decision and `after`, and the id of the task then open. */
    const tasks = (after: PartnerDecision | undefined): { events: PdxEvent[]; taskId?: string } => {
      const { closed, opened } = taskChanges(
        pair,
        record?.linked && record.taskId !== undefined
          ? { decision: record.decision, taskId: record.taskId }
          : undefined,
        after,
        { at, cause, newTaskId: eventBase('review-task.opened').id },
      );
      // A task keeps its id until its content changes.
      const taskId = opened ? opened.taskId : after?.reviewTask ? record?.taskId : undefined;
      const events = [
        ...(closed
          ? [
              createEvent(deps.registry, {
                ...eventBase('review-task.closed'),
                type: 'org.pdx.review-task.closed.v1',
                data: closed,
              }),
            ]
          : []),
        ...(opened
          ? [
              createEvent(deps.registry, {
                ...eventBase('review-task.opened'),
                type: 'org.pdx.review-task.opened.v1',
                data: opened,
              }),
            ]
          : []),
      ];
      return taskId === undefined ? { events } : { events, taskId };
    };
    if (link?.state !== 'accepted') {
      if (!record?.linked) return unchanged(record);
      exemptionEvent(undefined, record.decision.policyVersion);
      events.push(...tasks(undefined).events);
      const { taskId: _closed, ...rest } = record;
      const after = { ...rest, linked: false, scheduled: false, nextChangeMs: NEVER };
      if ((await commitChange(deps, deps.statuses, record, after, events)) === 'committed') return 'changed';
      continue;
    }
    const policy = await policyFor(deps, pair.buyerId);
    const decision = evaluate(await factsOf(deps, link), policy, deps.catalogues, now) as PartnerDecision;
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
        return unchanged(record);
      const after = {
        ...record,
        decision: {
          ...record.decision,
          policyVersion: policy.version,
          catalogueVersion: rules.catalogueVersion,
        },
        rulesEngineVersion: rules.engineVersion,
        scheduled: nextChangeMs !== NEVER,
        nextChangeMs,
      };
      if ((await commitChange(deps, deps.statuses, record, after, [])) === 'committed') return 'unchanged';
      continue;
    }
    events.push(
      createEvent(deps.registry, {
        ...eventBase('partner.status.changed'),
        type: 'org.pdx.partner.status.changed.v1',
        data: {
          decision,
          ...(record?.linked ? { previousStatus: record.decision.status } : {}),
          cause,
          version,
        },
      }),
    );
    const owed = tasks(decision);
    events.push(...owed.events);
    exemptionEvent(exemptionOf(decision), policy.version);
    const next = {
      id,
      ...pair,
      decision,
      linked: true,
      scheduled: nextChangeMs !== NEVER,
      nextChangeMs,
      ...(owed.taskId === undefined ? {} : { taskId: owed.taskId }),
      rulesEngineVersion: rules.engineVersion,
    };
    if ((await commitChange(deps, deps.statuses, record, next, events)) === 'committed') {
      deps.logger.debug({ pair: id, status: decision.status, cause: cause.kind }, 'partner status changed');
      return 'changed';
    }
  }
}

import {
  canonicalJson,
  createEvent,
  deterministicEventId,
  type PartnerDecision,
  type PdxEvent,
  relationshipId,
  type SchemaRegistry,
} from '@pdx/contracts';
import {
  type BuyerPolicy,
  type Decision,
  defaultReviewPolicy,
  evaluate,
  type PartnerFacts,
  reviewPolicyOf,
} from '@pdx/rules';
import type { Clock, Logger } from '@pdx/runtime';
import { type Catalogues, defaultRecognisedSchemes } from '@pdx/schemes';
import { type Collection, commitChange, type OutboxPublisher } from '@pdx/store';
import type { FactStore, Pair } from '../facts/apply-fact-event.js';
import { type LinkDoc, NEVER, type StatusRecord } from '../facts/fact-docs.js';

export interface EvaluationDeps extends FactStore {
  statuses: Collection<StatusRecord>;
  catalogues: Catalogues;
  bus: OutboxPublisher<PdxEvent>;
  registry: SchemaRegistry;
  clock: Clock;
  logger: Logger;
  source: string;
}

/** What made a decision change: an event, or a computed date passing. */
export type Cause = { kind: 'event'; eventId: string; eventType: string } | { kind: 'time' };

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

async function factsOf(deps: EvaluationDeps, link: LinkDoc): Promise<PartnerFacts> {
  const { buyerId, partnerId } = link;
  return {
    buyerId,
    partnerId,
    country: (await deps.parties.get(partnerId))?.country ?? '',
    functions: link.functions,
    locations: link.locations,
    certificates: (await deps.certificates.find({ holder: partnerId })).map((d) => d.certificate),
    declarations: (await deps.declarations.find({ issuer: partnerId })).map((d) => d.fact),
    reviews: (await deps.reviews.find({ buyerId, partnerId })).map((d) => d.review),
    incidents: 0,
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
  });

/** The exemption a decision grants, as a comparable key (undefined: none). */
function exemptionOf(d: PartnerDecision | undefined) {
  if (d?.status !== 'exempt') return undefined;
  const clause = d.clauses.includes('4.4(b)') ? '4.4(b)' : d.clauses.includes('4.4(a)') ? '4.4(a)' : '4.4(c)';
  const certificateIds = d.basis
    .flatMap((g) => (g.certificateId === undefined ? [] : [g.certificateId]))
    .sort();
  return { clause: clause as '4.4(a)' | '4.4(b)' | '4.4(c)', certificateIds };
}

/**
 * Evaluates one (buyer, partner) pair with the rules engine and, when the decision changed,
 * records it with its events through the outbox: `partner.status.changed.v1` with the cause,
 * and `exemption.granted.v1` / `exemption.revoked.v1` when an exemption begins, ends or
 * moves to other certificates. A pair whose link is no longer accepted keeps its last
 * decision, unlinked; an exemption it had ends.
 */
export async function evaluatePair(
  deps: EvaluationDeps,
  pair: Pair,
  cause: Cause,
): Promise<'changed' | 'unchanged'> {
  const id = pairId(pair);
  for (;;) {
    const record = await deps.statuses.get(id);
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
    const revoke = (policyVersion: number) => {
      if (!before) return;
      events.push(
        createEvent(deps.registry, {
          ...eventBase('exemption.revoked'),
          type: 'org.pdx.exemption.revoked.v1',
          data: { ...pair, ...before, at, policyVersion, cause },
        }),
      );
    };
    if (link?.state !== 'accepted') {
      if (!record?.linked) return 'unchanged';
      revoke(record.decision.policyVersion);
      const after = { ...record, linked: false, scheduled: false, nextChangeMs: NEVER };
      if ((await commitChange(deps, deps.statuses, record, after, events)) === 'committed') return 'changed';
      continue;
    }
    const policy = await policyFor(deps, pair.buyerId);
    const decision = evaluate(await factsOf(deps, link), policy, deps.catalogues, now) as PartnerDecision;
    const nextChangeMs = decision.nextChangeAt === undefined ? NEVER : Date.parse(decision.nextChangeAt);
    if (record?.linked && material(record.decision) === material(decision)) {
      if (record.nextChangeMs === nextChangeMs) return 'unchanged';
      const after = { ...record, scheduled: nextChangeMs !== NEVER, nextChangeMs };
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
    const after = exemptionOf(decision);
    if (canonicalJson(before ?? null) !== canonicalJson(after ?? null)) {
      revoke(policy.version);
      if (after) {
        events.push(
          createEvent(deps.registry, {
            ...eventBase('exemption.granted'),
            type: 'org.pdx.exemption.granted.v1',
            data: { ...pair, ...after, at, policyVersion: policy.version, cause },
          }),
        );
      }
    }
    const next = {
      id,
      ...pair,
      decision,
      linked: true,
      scheduled: nextChangeMs !== NEVER,
      nextChangeMs,
    };
    if ((await commitChange(deps, deps.statuses, record, next, events)) === 'committed') {
      deps.logger.debug({ pair: id, status: decision.status, cause: cause.kind }, 'partner status changed');
      return 'changed';
    }
  }
}

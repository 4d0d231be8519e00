import { type DecisionContext, decisionContext, type PdxEvent, type SchemaRegistry } from '@pdx/contracts';
import { linkScope } from '@pdx/read-models';
import { type BuyerPolicy, defaultReviewPolicy, type PartnerFacts, reviewPolicyOf } from '@pdx/rules';
import type { Clock, Logger } from '@pdx/runtime';
import { type Catalogues, defaultRecognisedSchemes } from '@pdx/schemes';
import { type Collection, handleChange, type OutboxPublisher } from '@pdx/store';
import type { FactStore, Pair } from '../facts/apply-fact-event.js';
import type { LinkDoc, PartyDoc, StatusRecord } from '../facts/fact-docs.js';
import type { PartnerRowDoc } from '../partner-list/partner-list.js';
import { refreshPartnerRow } from '../partner-list/partner-rows.js';
import {
  type Cause,
  decidePair,
  type PairInput,
  type PairOutcome,
  pairId,
  rulesInForce,
} from './pair-decisions.js';
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

/**
 * Evaluates one (buyer, partner) pair: reads its link and, with an accepted one, the buyer's
 * policy and the pair's facts; `decidePair` (pair-decisions.ts) decides; a change is recorded
 * with its events through the outbox (`handleChange`, read again and decided anew when a
 * concurrent change won). A decision only stamped with the rules in force counts as unchanged.
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
): Promise<PairOutcome> {
  const outcome = await decide(deps, pair, causeOf);
  // Also when unchanged: a certificate or registration the decision ignores may still be
  // something the buyer searches by.
  if (deps.partnerRows) await refreshPartnerRow({ ...deps, partnerRows: deps.partnerRows }, pair);
  // A cause asked of the record is the start-up pass over decisions made under other rules.
  deps.evaluations?.inc({ cause: typeof causeOf === 'function' ? 'rules-changed' : causeOf.kind, outcome });
  return outcome;
}

async function decide(
  deps: EvaluationDeps,
  pair: Pair,
  causeOf: Cause | ((record: StatusRecord | undefined) => Cause | undefined),
): Promise<PairOutcome> {
  const id = pairId(pair);
  const rules = rulesInForce(deps.catalogues);
  let cause: Cause | undefined;
  const outcome = await handleChange(
    deps,
    deps.statuses,
    id,
    (record, { input, context }: { input: PairInput; context: DecisionContext }) =>
      decidePair(record, input, context),
    {
      // A consumer: what an earlier attempt left in the outbox goes out before the event
      // counts as handled, unless its writer is still publishing it.
      repeat: 'flush',
      load: async (record) => {
        cause = typeof causeOf === 'function' ? causeOf(record) : causeOf;
        const input: PairInput = { pair, cause, link: undefined, catalogues: deps.catalogues, rules };
        const link = cause === undefined ? undefined : await deps.links.get(id);
        const context = decisionContext(deps);
        if (link) input.link = link;
        if (link?.state === 'accepted') {
          input.policy = await policyFor(deps, pair.buyerId);
          input.facts = await factsOf(deps, link);
        }
        return { input, context };
      },
    },
  );
  if (outcome.kind === 'changed' && outcome.value === 'changed' && outcome.record.linked) {
    const { status } = outcome.record.decision;
    deps.logger.debug({ pair: id, status, cause: cause?.kind }, 'partner status changed');
  }
  return outcome.value ?? 'unchanged';
}

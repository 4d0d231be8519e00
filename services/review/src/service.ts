import type { Subscription } from '@pdx/bus';
import { PdxError, relationshipId, type SchemaRegistry, topics } from '@pdx/contracts';
import { SIGNATURE_HEADER, signDetached } from '@pdx/crypto';
import { eventSource, type ServiceDefinition, type ServiceDeps, type ServiceModule } from '@pdx/host';
import { errorResponses, principalOf } from '@pdx/http';
import { counter, isoNow, PeriodicTask } from '@pdx/runtime';
import type { Catalogues } from '@pdx/schemes';
import { loadCatalogues } from '@pdx/schemes/load';
import { type AppliedEvent, appliedEvents, applyOnce, flushOutboxes, watchOutboxes } from '@pdx/store';
import { evaluatePair } from './evaluation/evaluate-pair.js';
import { RulesChangeReview } from './evaluation/rules-change.js';
import { StatusClock } from './evaluation/status-clock.js';
import { applyFactEvent, openFactStore } from './facts/apply-fact-event.js';
import { type RulesReviewDoc, rulesReviewDocs, type StatusRecord, statusRecords } from './facts/fact-docs.js';
import type { PartnerRowDoc } from './partner-list/partner-list.js';
import { backfillPartnerRows, partnerRowDocs, refreshPartnerRow } from './partner-list/partner-rows.js';
import { reviewTaskRoutes } from './review-task-routes.js';
import { statementRoutes } from './statement-routes.js';
import { statusWithEvidence } from './status-evidence.js';
import { statusListRoutes } from './status-list-routes.js';

export const REVIEW_GROUP = 'pdx-review';
/** What the review service reads: the facts, and its own decisions and tasks (as history). */
export const REVIEW_TOPICS = [
  topics.parties,
  topics.relationships,
  topics.declarations,
  topics.certificates,
  topics.policies,
  topics.reviews,
  topics.statuses,
  topics.reviewTasks,
];
/** Explicit types of the exchange's signatures over status answers and statements (RFC 8725 §3.11). */
export const STATUS_TYP = 'pdx-status+jws';
export const STATEMENT_TYP = 'pdx-statement+jws';

export interface ReviewServiceOptions {
  /**
   * The scheme catalogue and recognition data the rules engine decides with; by default those
   * shipped in @pdx/schemes. A test gives earlier data to decide as an earlier release did.
   */
  catalogues?: (registry: SchemaRegistry) => Catalogues;
}

/**
 * review: keeps, for every (buyer, business partner) pair with an accepted link, the
 * decision of the ISO 28001 rules engine — re-evaluated on every relevant event, when a
 * computed date passes, and at start-up when it was made under earlier rules — and publishes
 * each change with its cause, exemptions granted and revoked, and the review tasks (ISO
 * 28001 4.5) each buyer owes.
 */
export function createReviewService(options: ReviewServiceOptions = {}): ServiceDefinition {
  return {
    name: 'review',
    create: (deps) => createReview(deps, options),
  };
}

export const reviewService: ServiceDefinition = createReviewService();

async function createReview(
  { bus, store, registry, clock, logger, config, exchangeKey, metrics }: ServiceDeps,
  options: ReviewServiceOptions,
): Promise<ServiceModule> {
  const facts = await openFactStore(store);
  const statuses = await store.collection<StatusRecord>(statusRecords);
  const { signer, publicJwk } = await exchangeKey();
  const applied = await store.collection<AppliedEvent>(appliedEvents);
  const partnerRows = await store.collection<PartnerRowDoc>(partnerRowDocs);
  const deps = {
    ...facts,
    statuses,
    partnerRows,
    catalogues: (options.catalogues ?? loadCatalogues)(registry),
    bus,
    registry,
    clock,
    logger,
    source: eventSource(config, 'review'),
    evaluations: counter(metrics, {
      name: 'pdx_rules_evaluations_total',
      help: 'Evaluations of a (buyer, partner) pair by the rules engine, by cause (event, time, rules-changed) and outcome (changed, unchanged).',
      labelNames: ['cause', 'outcome'],
    }),
  };
  watchOutboxes(metrics, 'review', { statuses });
  const intervalMs = config.int('PDX_REVIEW_INTERVAL_MS', 60_000, { min: 50, max: 3_600_000 });
  // What the log did not acknowledge (a decision recorded, its events pending) goes out on the
  // next pass, whichever path recorded it — an event, the clock or the start-up pass.
  const flusher = new PeriodicTask(
    'publishing pending status events',
    () => flushOutboxes(deps, statuses),
    config.int('PDX_OUTBOX_FLUSH_MS', 5_000, { min: 100, max: 600_000 }),
    logger,
  );
  const statusClock = new StatusClock(deps, intervalMs, logger.child({ component: 'status-clock' }));
  const rulesChange = new RulesChangeReview(
    deps,
    await store.collection<RulesReviewDoc>(rulesReviewDocs),
    { retryMs: intervalMs },
    logger.child({ component: 'rules-change' }),
  );
  let subscription: Subscription | undefined;
  let backfill: Promise<void> | undefined;
  let stopping = false;
  return {
    name: 'review',
    publicKeys: [publicJwk],
    routes: async (app) => {
      // Every answer is signed (a detached JWS of the exact body) so a buyer can keep it as
      // evidence and a validator can check it against /.well-known/jwks.json.
      app.addHook('onSend', async (request, reply, payload) => {
        if (reply.statusCode !== 200 || typeof payload !== 'string') return payload;
        const typ = request.url.startsWith('/v1/statement-of-application') ? STATEMENT_TYP : STATUS_TYP;
        reply.header(SIGNATURE_HEADER, await signDetached(payload, signer, typ));
        return payload;
      });
      await app.register(statusListRoutes(facts, statuses, deps.catalogues, deps));
      await app.register(statementRoutes(facts, statuses, clock, { catalogues: deps.catalogues, signer }));
      await app.register(reviewTaskRoutes(facts, () => clock.now()));
      app.get<{ Params: { partnerId: string } }>(
        '/v1/partner-status/:partnerId',
        {
          schema: {
            params: {
              type: 'object',
              required: ['partnerId'],
              properties: {
                partnerId: { $ref: 'urn:pdx:schema:common:party-id.v1' },
              },
            },
            response: {
              200: { $ref: 'urn:pdx:schema:api:partner-status.v1' },
              ...errorResponses('PDX_ROLE_REQUIRED', 'PDX_PARTNER_NOT_LINKED'),
            },
          },
          config: { access: 'authenticated' },
        },
        async (request) => {
          const caller = principalOf(request);
          const record = await statuses.get(relationshipId(caller.id, request.params.partnerId));
          // Only for partners that accepted the buyer's link (consent).
          if (caller.kind !== 'party' || !record?.linked) {
            throw new PdxError(
              'PDX_PARTNER_NOT_LINKED',
              `${request.params.partnerId} has no accepted business relationship with you`,
            );
          }
          return statusWithEvidence(facts, record.decision);
        },
      );
    },
    async start() {
      await flushOutboxes({ bus, logger }, statuses);
      subscription = await bus.subscribe({
        group: REVIEW_GROUP,
        topics: REVIEW_TOPICS,
        handler: async (event) => {
          await applyOnce(applied, event, isoNow(clock), async () => {
            const cause = { kind: 'event' as const, eventId: event.id, eventType: event.type };
            for (const pair of await applyFactEvent(facts, event)) await evaluatePair(deps, pair, cause);
            // A registration read after the link (another topic) names the partner in the lists.
            if (event.type === 'org.pdx.party.registered.v1') {
              for (const link of await facts.links.find({
                partnerId: event.data.party.partyId,
                state: 'accepted',
              }))
                await refreshPartnerRow(deps, link);
            }
          });
        },
      });
      statusClock.start();
      flusher.start();
      // In the background: /healthz and the consumers do not wait for it.
      rulesChange.start();
      // Decisions made before the lists were kept get their rows, also in the background.
      backfill = backfillPartnerRows(deps, () => stopping)
        .then((added) => {
          if (added > 0) logger.info({ added }, 'partner list rows added for earlier decisions');
        })
        .catch((error: unknown) => logger.error({ err: error }, 'adding partner list rows failed'));
    },
    async stop() {
      stopping = true;
      await backfill;
      await rulesChange.stop();
      await statusClock.stop();
      await flusher.stop();
      await subscription?.stop();
    },
  };
}

import { eventSource, type ServiceDefinition } from '@pdx/host';
import { storeReplayGuard } from '@pdx/http';
import { PeriodicTask, RuntimeError } from '@pdx/runtime';
import { loadCatalogues } from '@pdx/schemes/load';
import { flushOutboxes, watchOutboxes } from '@pdx/store';
import { type CertificateRecord, certificateRecords } from './certificates/certificate-record.js';
import { certificateRoutes } from './certificates/certificate-routes.js';
import { type DeclarationRecord, declarationRecords } from './declarations/declaration-record.js';
import { declarationRoutes } from './declarations/declaration-routes.js';
import { keyRoutes } from './keys/key-routes.js';
import { tokenRoutes } from './oauth/token-routes.js';
import { type PartyRecord, partyRecords } from './parties/party-record.js';
import { registerPartyRoute } from './parties/party-routes.js';
import { type PolicyRecord, policyRecords } from './policies/recognition-policy.js';
import { recognitionPolicyRoutes } from './policies/recognition-policy-routes.js';
import { type RelationshipRecord, relationshipRecords } from './relationships/relationship-record.js';
import { relationshipRoutes } from './relationships/relationship-routes.js';
import { type IncidentRecordDoc, incidentRecords } from './reviews/record-incident.js';
import { type ReviewRecordDoc, reviewRecords } from './reviews/record-review.js';
import { reviewRoutes } from './reviews/review-routes.js';
import { schemeRoutes } from './schemes/scheme-routes.js';

/**
 * intake: where facts enter the exchange — parties and their keys, business relationships,
 * Declarations of Security, certificates and approvals. It authenticates, verifies, records what it accepted, and
 * publishes events.
 */
export const intakeService: ServiceDefinition = {
  name: 'intake',
  async create({ bus, store, registry, clock, logger, auth, config, exchangeKey, metrics }) {
    const parties = await store.collection<PartyRecord>(partyRecords);
    const relationships = await store.collection<RelationshipRecord>(relationshipRecords);
    const declarations = await store.collection<DeclarationRecord>(declarationRecords);
    const certificates = await store.collection<CertificateRecord>(certificateRecords);
    const policies = await store.collection<PolicyRecord>(policyRecords);
    const reviews = await store.collection<ReviewRecordDoc>(reviewRecords);
    const incidents = await store.collection<IncidentRecordDoc>(incidentRecords);
    const catalogues = loadCatalogues(registry);
    watchOutboxes(metrics, 'intake', {
      parties,
      relationships,
      declarations,
      certificates,
      policies,
      reviews,
      incidents,
    });
    // A request answers 503 within this time when the log does not acknowledge (its change is
    // kept and published later): past common client timeouts, callers give up blind.
    const publishTimeoutMs = config.int('PDX_PUBLISH_TIMEOUT_MS', 5_000, { min: 100, max: 120_000 });
    const outboxLeaseMs = config.int('PDX_OUTBOX_LEASE_MS', 60_000, { min: 1_000, max: 3_600_000 });
    if (outboxLeaseMs < 2 * publishTimeoutMs) {
      throw new RuntimeError(
        'PDX_CONFIG_INVALID',
        `PDX_OUTBOX_LEASE_MS (${outboxLeaseMs}) must be at least twice PDX_PUBLISH_TIMEOUT_MS (${publishTimeoutMs}): a flusher must not take an outbox whose publication is still being waited for`,
      );
    }
    const flushMs = config.int('PDX_OUTBOX_FLUSH_MS', 5_000, { min: 100, max: 600_000 });
    const deps = {
      parties,
      relationships,
      declarations,
      certificates,
      policies,
      reviews,
      incidents,
      catalogues,
      skewMs: auth.clockSkewSeconds * 1000,
      bus,
      registry,
      clock,
      logger,
      source: eventSource(config, 'intake'),
      publishTimeoutMs,
      outboxLeaseMs,
    };
    // The token endpoint: the only place a token id (a client assertion's jti) is remembered.
    const replay = await storeReplayGuard(store, clock, logger);
    const exchange = await exchangeKey();
    const tokens = {
      clients: {
        operators: auth.operators,
        party: async (id: string) => {
          const record = await parties.get(id);
          return record && { keys: record.keys, roles: record.registration.roles };
        },
      },
      replay,
      signer: exchange.signer,
      clock,
      issuer: auth.issuer,
      audience: auth.audience,
      clockSkewSeconds: auth.clockSkewSeconds,
      ttlSeconds: config.int('PDX_ACCESS_TOKEN_TTL_SECONDS', 600, { min: 60, max: 3600 }),
    };
    const declarationOptions = {
      // The event carries the JWS and the decoded declaration (about 1.75 times the body):
      // 400 KiB keeps it under Kafka's default 1 MB message limit.
      maxBytes: config.int('PDX_DECLARATION_MAX_BYTES', 256 * 1024, { min: 1024, max: 400 * 1024 }),
      maxAheadDays: config.int('PDX_DECLARATION_MAX_AHEAD_DAYS', 90, { min: 0, max: 3650 }),
      skewSeconds: auth.clockSkewSeconds,
    };
    const certificateOptions = {
      maxAheadMs: config.int('PDX_CERTIFICATE_MAX_AHEAD_DAYS', 180, { min: 0, max: 3650 }) * 86_400_000,
      skewMs: auth.clockSkewSeconds * 1000,
    };
    const flushAll = async () => {
      const flushed =
        (await flushOutboxes(deps, parties)) +
        (await flushOutboxes(deps, relationships)) +
        (await flushOutboxes(deps, declarations)) +
        (await flushOutboxes(deps, certificates)) +
        (await flushOutboxes(deps, policies)) +
        (await flushOutboxes(deps, reviews)) +
        (await flushOutboxes(deps, incidents));
      if (flushed > 0) logger.info({ flushed }, 'published pending events');
    };
    // Changes answered with 503 (log unavailable) are published as soon as it is back; one
    // pass at a time, so that a slow pass is never overtaken by the next.
    const flusher = new PeriodicTask('publishing pending events', flushAll, flushMs, logger);
    return {
      name: 'intake',
      // Access tokens are signed with the exchange key: its public half is in the JWKS.
      publicKeys: [exchange.publicJwk],
      routes: async (app) => {
        await app.register(tokenRoutes(tokens));
        await app.register(registerPartyRoute(deps, catalogues));
        await app.register(keyRoutes(deps));
        await app.register(relationshipRoutes(deps));
        await app.register(declarationRoutes(deps, declarationOptions));
        await app.register(certificateRoutes(deps, certificateOptions));
        await app.register(recognitionPolicyRoutes(deps));
        await app.register(reviewRoutes(deps));
        await app.register(schemeRoutes(catalogues));
      },
      async start() {
        flusher.start();
      },
      async stop() {
        await flusher.stop();
        replay.stop();
      },
    };
  },
};

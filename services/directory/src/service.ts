import type { Subscription } from '@pdx/bus';
import { assertNever, isCertificateEvent, type PdxEvent, topics } from '@pdx/contracts';
import type { ServiceDefinition } from '@pdx/host';
import {
  applyCertificateEvent,
  applyLinkEvent,
  applyPartyEvent,
  type CertificateDoc,
  type LinkDoc,
  type PartyDoc,
} from '@pdx/read-models';
import { isoNow } from '@pdx/runtime';
import { type AppliedEvent, appliedEvents, applyOnce } from '@pdx/store';
import { certificateRoutes } from './certificates/certificate-routes.js';
import {
  applyDeclarationEvent,
  type DeclarationDoc,
  declarationDocs,
} from './declarations/declaration-projection.js';
import { declarationRoutes } from './declarations/declaration-routes.js';
import { getPartyRoute } from './parties/party-routes.js';
import { certificateDocs, linkDocs, partyDocs } from './read-models.js';
import { relationshipRoutes } from './relationships/relationship-routes.js';

export const DIRECTORY_GROUP = 'pdx-directory';

/**
 * directory: the query side. Consumes events into its own store and answers parties, buyers
 * and validators. (Partner status under ISO 28001 4.2-4.5 builds on these projections.)
 */
export const directoryService: ServiceDefinition = {
  name: 'directory',
  async create({ bus, store, clock, logger }) {
    const parties = await store.collection<PartyDoc>(partyDocs);
    const relationships = await store.collection<LinkDoc>(linkDocs);
    const declarations = await store.collection<DeclarationDoc>(declarationDocs);
    const certificates = await store.collection<CertificateDoc>(certificateDocs);
    const applied = await store.collection<AppliedEvent>(appliedEvents);
    const apply = (event: PdxEvent): Promise<void> => {
      if (isCertificateEvent(event)) return applyCertificateEvent(certificates, event);
      switch (event.type) {
        case 'org.pdx.party.registered.v1':
        case 'org.pdx.party.key-added.v1':
        case 'org.pdx.party.key-revoked.v1':
          return applyPartyEvent(parties, event);
        case 'org.pdx.relationship.offered.v1':
        case 'org.pdx.relationship.accepted.v1':
        case 'org.pdx.relationship.ended.v1':
          return applyLinkEvent(relationships, event);
        case 'org.pdx.declaration.submitted.v1':
          return applyDeclarationEvent(declarations, event);
        // A topic the directory does not subscribe to.
        case 'org.pdx.review.recorded.v1':
        case 'org.pdx.incident.recorded.v1':
        case 'org.pdx.review-task.opened.v1':
        case 'org.pdx.review-task.closed.v1':
        case 'org.pdx.partner.status.changed.v1':
        case 'org.pdx.exemption.granted.v1':
        case 'org.pdx.exemption.revoked.v1':
        case 'org.pdx.exemption.basis-changed.v1':
        case 'org.pdx.recognition-policy.changed.v1':
          return Promise.resolve();
        default:
          return assertNever(event);
      }
    };
    let subscription: Subscription | undefined;
    return {
      name: 'directory',
      routes: async (app) => {
        await app.register(getPartyRoute(parties, clock));
        await app.register(relationshipRoutes(relationships));
        await app.register(declarationRoutes(declarations, relationships, parties));
        await app.register(certificateRoutes(certificates, relationships, parties, clock));
      },
      async start() {
        subscription = await bus.subscribe({
          group: DIRECTORY_GROUP,
          topics: [topics.parties, topics.relationships, topics.declarations, topics.certificates],
          handler: async (event) => {
            const result = await applyOnce(applied, event, isoNow(clock), () => apply(event));
            logger.debug({ eventId: event.id, type: event.type, result }, 'event applied');
          },
        });
      },
      async stop() {
        await subscription?.stop();
      },
    };
  },
};

import type { Certificate } from '@pdx/contracts';
import { PdxError, relationshipId } from '@pdx/contracts';
import type { ExchangeSigner } from '@pdx/crypto';
import { errorResponses, principalOf } from '@pdx/http';
import type { DeclarationFact, ReviewRecord } from '@pdx/rules';
import { type Clock, isoNow } from '@pdx/runtime';
import type { Catalogues } from '@pdx/schemes';
import type { Collection } from '@pdx/store';
import type { FastifyPluginAsync } from 'fastify';
import type { FactStore } from './facts/apply-fact-event.js';
import type { LinkDoc, PartyDoc, StatusRecord } from './facts/fact-docs.js';
import { type StatementFacts, statementHtml, statementOfApplication } from './statement-of-application.js';
import { signStatement } from './statement-of-application-signature.js';

/** What the statement needs beyond the facts: the scheme names, and the key it is signed with. */
export interface StatementOptions {
  catalogues: Catalogues;
  signer: ExchangeSigner;
}

/**
 * GET /v1/statement-of-application — a buyer's Statement of Application (ISO 28001 4.1):
 * the covered part of its supply chain, every linked partner with its identifiers, scope of
 * service, basis and the evidence that basis rests on, signed inside (a detached JWS over its
 * canonical JSON). JSON, or a printable HTML page (`?format=html` or `Accept: text/html`) that
 * shows the digest and embeds the signed JSON.
 */
export function statementRoutes(
  facts: FactStore,
  statuses: Collection<StatusRecord>,
  clock: Clock,
  options: StatementOptions,
): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { format?: 'json' | 'html' } }>(
      '/v1/statement-of-application',
      {
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { format: { enum: ['json', 'html'] } },
          },
          response: {
            200: {
              description:
                'The signed Statement of Application: JSON, or printable HTML (`format=html`, or `Accept: text/html`).',
              content: {
                'application/json': { schema: { $ref: 'urn:pdx:schema:api:statement-of-application.v1' } },
                'text/html': { schema: { type: 'string' } },
              },
            },
            ...errorResponses('PDX_ROLE_REQUIRED'),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request, reply) => {
        const caller = principalOf(request);
        const buyer = caller.kind === 'party' ? await facts.parties.get(caller.id) : undefined;
        if (!buyer?.roles.includes('buyer')) {
          throw new PdxError('PDX_ROLE_REQUIRED', 'a Statement of Application is a buyer’s');
        }
        const statement = await signStatement(
          statementOfApplication(await statementFacts(facts, statuses, buyer, options, isoNow(clock))),
          options.signer,
        );
        const html =
          request.query.format === 'html' ||
          (request.query.format === undefined && /text\/html/.test(request.headers.accept ?? ''));
        if (html) return reply.type('text/html; charset=utf-8').send(statementHtml(statement));
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(statement));
      },
    );
  };
}

/** Reads, from the service's own projections, every fact the buyer's statement cites. */
async function statementFacts(
  facts: FactStore,
  statuses: Collection<StatusRecord>,
  buyer: PartyDoc,
  options: StatementOptions,
  generatedAt: string,
): Promise<StatementFacts> {
  const parties = new Map<string, PartyDoc>();
  const certificates = new Map<string, Certificate>();
  const declarations = new Map<string, DeclarationFact>();
  const reviews = new Map<string, ReviewRecord>();
  const party = async (id: string) => {
    if (parties.has(id)) return;
    const doc = await facts.parties.get(id);
    if (doc) parties.set(id, doc);
  };
  const entries = [];
  for (const record of await statuses.find({ buyerId: buyer.id, linked: true })) {
    const { decision } = record;
    const link = (await facts.links.get(relationshipId(record.buyerId, record.partnerId))) as LinkDoc;
    entries.push({ decision, link });
    await party(record.partnerId);
    for (const ground of decision.basis) {
      if (ground.kind === 'certificate' && ground.certificateId !== undefined) {
        const certificate = (await facts.certificates.get(ground.certificateId))?.certificate;
        if (!certificate) continue;
        certificates.set(certificate.certificateId, certificate);
        if (certificate.issuer !== undefined) await party(certificate.issuer);
      } else if (ground.kind === 'declaration' && ground.declarationId !== undefined) {
        const key = `${record.partnerId}~${ground.declarationId}`;
        const declaration = (await facts.declarations.get(key))?.fact;
        if (declaration) declarations.set(key, declaration);
      } else if (ground.kind === 'review' && ground.reviewId !== undefined) {
        const review = (await facts.reviews.get(`${buyer.id}~${ground.reviewId}`))?.review;
        if (review) reviews.set(review.reviewId, review);
      }
    }
  }
  return {
    buyer,
    entries,
    parties,
    certificates,
    declarations,
    reviews,
    catalogues: options.catalogues,
    generatedAt,
  };
}

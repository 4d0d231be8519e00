import { PdxError, relationshipId } from '@pdx/contracts';
import { principalOf, problemResponses } from '@pdx/http';
import { type Clock, isoNow } from '@pdx/runtime';
import type { Collection } from '@pdx/store';
import type { FastifyPluginAsync, preHandlerHookHandler } from 'fastify';
import type { FactStore } from './facts/apply-fact-event.js';
import type { LinkDoc, StatusRecord } from './facts/fact-docs.js';
import { statementHtml, statementOfApplication } from './statement-of-application.js';

/**
 * GET /v1/statement-of-application — a buyer's Statement of Application (ISO 28001 4.1):
 * the covered part of its supply chain, every linked partner with scope of service and
 * basis, the exempt ones with the reason. JSON, or a printable HTML page
 * (`?format=html` or `Accept: text/html`); signed either way.
 */
export function statementRoutes(
  facts: FactStore,
  statuses: Collection<StatusRecord>,
  clock: Clock,
  authenticate: preHandlerHookHandler,
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
          response: { ...problemResponses },
        },
        onRequest: authenticate,
      },
      async (request, reply) => {
        const caller = principalOf(request);
        const buyer = caller.kind === 'party' ? await facts.parties.get(caller.id) : undefined;
        if (!buyer?.roles.includes('buyer')) {
          throw new PdxError('PDX_ROLE_REQUIRED', 'a Statement of Application is a buyer’s');
        }
        const records = await statuses.find({ buyerId: caller.id, linked: true });
        const entries = [];
        for (const r of records) {
          const link = (await facts.links.get(relationshipId(r.buyerId, r.partnerId))) as LinkDoc;
          entries.push({ decision: r.decision, link, party: await facts.parties.get(r.partnerId) });
        }
        const soa = statementOfApplication(
          { buyerId: caller.id, legalName: buyer.legalName ?? caller.id },
          entries,
          isoNow(clock),
        );
        const html =
          request.query.format === 'html' ||
          (request.query.format === undefined && /text\/html/.test(request.headers.accept ?? ''));
        if (html) return reply.type('text/html; charset=utf-8').send(statementHtml(soa));
        return reply.type('application/json; charset=utf-8').send(JSON.stringify(soa));
      },
    );
  };
}

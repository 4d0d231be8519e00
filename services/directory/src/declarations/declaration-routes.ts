import { declarationKey, PdxError, relationshipId } from '@pdx/contracts';
import { errorResponses, type Principal, principalOf } from '@pdx/http';
import type { LinkDoc, PartyDoc } from '@pdx/read-models';
import type { Collection } from '@pdx/store';
import type { FastifyPluginAsync } from 'fastify';
import { type DeclarationDoc, toDeclarationView } from './declaration-projection.js';

const partyId = { $ref: 'urn:pdx:schema:common:party-id.v1' } as const;

/**
 * Who sees a declaration: its issuer, an operator, and each recipient buyer while its link
 * with the issuer is accepted (consent, as C-TPAT status-verification requests). Anyone else
 * gets 404, which does not tell whether the declaration exists.
 */
async function visible(
  relationships: Collection<LinkDoc>,
  caller: Principal,
  doc: DeclarationDoc,
): Promise<boolean> {
  if (caller.kind === 'operator' || caller.id === doc.issuer) return true;
  if (!doc.recipients.includes(caller.id)) return false;
  return (await relationships.get(relationshipId(caller.id, doc.issuer)))?.state === 'accepted';
}

export function declarationRoutes(
  docs: Collection<DeclarationDoc>,
  relationships: Collection<LinkDoc>,
  parties: Collection<PartyDoc>,
): FastifyPluginAsync {
  // The report is re-checked against the issuer's keys at every answer: a revocation may reach back.
  const keysOf = async (issuer: string) => (await parties.get(issuer))?.keys;
  return async (app) => {
    app.get<{ Querystring: { issuer?: string } }>(
      '/v1/declarations',
      {
        schema: {
          querystring: { type: 'object', additionalProperties: false, properties: { issuer: partyId } },
          response: {
            200: {
              type: 'object',
              required: ['declarations'],
              properties: {
                declarations: { type: 'array', items: { $ref: 'urn:pdx:schema:api:declaration.v1' } },
              },
            },
          },
        },
        config: { access: 'authenticated' },
      },
      async (request) => {
        const caller = principalOf(request);
        const issuer = request.query.issuer ?? caller.id;
        const all = await docs.find({ issuer }, { sort: { field: 'submittedAt', order: -1 }, limit: 1_000 });
        // One link decides for every declaration of this issuer; only addressing differs.
        const privileged = caller.kind === 'operator' || caller.id === issuer;
        const linked =
          !privileged && (await relationships.get(relationshipId(caller.id, issuer)))?.state === 'accepted';
        const shown = all.filter((doc) => privileged || (linked && doc.recipients.includes(caller.id)));
        const keys = await keysOf(issuer);
        return { declarations: shown.map((doc) => toDeclarationView(doc, keys)) };
      },
    );

    app.get<{ Params: { issuer: string; declarationId: string } }>(
      '/v1/declarations/:issuer/:declarationId',
      {
        schema: {
          params: {
            type: 'object',
            required: ['issuer', 'declarationId'],
            properties: {
              issuer: partyId,
              declarationId: { $ref: 'urn:pdx:schema:common:declaration-id.v1' },
            },
          },
          response: {
            200: { $ref: 'urn:pdx:schema:api:declaration.v1' },
            ...errorResponses('PDX_DECLARATION_NOT_FOUND'),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request) => {
        const { issuer, declarationId } = request.params;
        const doc = await docs.get(declarationKey(issuer, declarationId));
        if (!doc || !(await visible(relationships, principalOf(request), doc))) {
          throw new PdxError(
            'PDX_DECLARATION_NOT_FOUND',
            `no declaration ${declarationId} of ${issuer} is visible to you`,
          );
        }
        return toDeclarationView(doc, await keysOf(issuer));
      },
    );
  };
}

import { type PartnerDecision, PdxError } from '@pdx/contracts';
import { errorResponses, principalOf } from '@pdx/http';
import { type Catalogues, normaliseCertificateNumber } from '@pdx/schemes';
import type { Collection } from '@pdx/store';
import type { FastifyPluginAsync } from 'fastify';
import { callingParty } from './caller.js';
import { dateFilterSchema } from './date-filter.js';
import type { FactStore } from './facts/apply-fact-event.js';
import type { StatusRecord } from './facts/fact-docs.js';
import {
  DEFAULT_LIMIT,
  type ListQueryInput,
  MAX_LIMIT,
  PARTNER_STATUSES,
  parseListQuery,
} from './partner-list/partner-list.js';
import { listPartners, type PartnerRowDeps } from './partner-list/partner-rows.js';

const decisions = {
  type: 'object',
  required: ['partners'],
  properties: { partners: { type: 'array', items: { $ref: 'urn:pdx:schema:common:partner-decision.v1' } } },
} as const;
const partnerList = {
  type: 'object',
  required: ['partners', 'parties', 'counts', 'total', 'matching', 'offset'],
  properties: {
    partners: {
      description: 'One page of the partners that match, the next obligation due first, then by partner id.',
      type: 'array',
      items: { $ref: 'urn:pdx:schema:common:partner-decision.v1' },
    },
    parties: {
      description: 'The legal name and country of each partner on the page, as it registered them.',
      type: 'object',
      additionalProperties: {
        type: 'object',
        properties: { legalName: { type: 'string' }, country: { type: 'string' } },
      },
    },
    counts: {
      description: "How many of the buyer's linked partners have each status (the whole list, unfiltered).",
      type: 'object',
      required: [...PARTNER_STATUSES],
      properties: Object.fromEntries(PARTNER_STATUSES.map((s) => [s, { type: 'integer' }])),
    },
    total: { type: 'integer', description: "The buyer's linked partners." },
    matching: { type: 'integer', description: 'Of those, how many match the filters and search.' },
    offset: { type: 'integer', description: 'How many matching partners come before this page.' },
    next: { type: 'string', description: 'The cursor of the page after this one; absent on the last.' },
    previous: { type: 'string', description: 'The cursor of the page before this one; absent on the first.' },
  },
} as const;
const history = {
  type: 'object',
  required: ['changes'],
  properties: {
    changes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['version', 'decision', 'cause'],
        properties: {
          version: { type: 'integer' },
          previousStatus: { type: 'string' },
          cause: { $ref: 'urn:pdx:schema:common:decision-cause.v1' },
          decision: { $ref: 'urn:pdx:schema:common:partner-decision.v1' },
        },
      },
    },
  },
} as const;
const partyId = { $ref: 'urn:pdx:schema:common:party-id.v1' } as const;

/**
 * A buyer's view of all its partners: the decisions in force, a page at a time (keyset
 * cursors), filtered by status, function, country or what falls due before a date, searched
 * by name or identifier, with the counts per status of the whole list; a lookup by identifier (EORI, LEI, an AEO or
 * C-TPAT number…) among them; and one partner's history of changes, each with
 * the facts (event), the date or the change of rules that caused it and the policy version
 * it was decided under.
 */
export function statusListRoutes(
  facts: FactStore,
  statuses: Collection<StatusRecord>,
  catalogues: Catalogues,
  rowDeps: PartnerRowDeps,
): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: ListQueryInput }>(
      '/v1/partner-status',
      {
        schema: {
          // Not getPartnerStatus: that is one partner's.
          ...{ operationId: 'getPartnerStatusList' },
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              status: {
                type: 'string',
                pattern: '^[a-z-]{1,40}(?:,[a-z-]{1,40}){0,7}$',
                description: 'One status, or several separated by commas (exempt,covered).',
              },
              function: { type: 'string', pattern: '^[a-z-]{1,40}$' },
              country: { type: 'string', pattern: '^[A-Z]{2}$' },
              dueBefore: dateFilterSchema,
              q: {
                type: 'string',
                minLength: 1,
                maxLength: 100,
                description:
                  'Search, case-insensitive: part of the legal name, the party id, a registered identifier (EORI, LEI…) or a certificate number (AEO, C-TPAT…).',
              },
              limit: {
                type: 'string',
                pattern: '^[1-9][0-9]{0,2}$',
                description: `Partners per page, from 1 to ${MAX_LIMIT} (by default ${DEFAULT_LIMIT}).`,
              },
              cursor: {
                type: 'string',
                minLength: 1,
                maxLength: 200,
                description: 'The next or previous member of an earlier answer: the page after or before it.',
              },
            },
          },
          response: { 200: partnerList, ...errorResponses('PDX_ROLE_REQUIRED', 'PDX_REQUEST_INVALID') },
        },
        config: { access: 'authenticated' },
      },
      async (request) => {
        const caller = { id: callingParty(request, 'partner statuses') };
        return listPartners(rowDeps, caller.id, parseListQuery(request.query));
      },
    );
    app.get<{ Querystring: { scheme: string; value: string } }>(
      '/v1/partner-status/lookup',
      {
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            required: ['scheme', 'value'],
            properties: {
              scheme: { enum: ['EORI', 'LEI', 'DUNS', 'VAT', 'AEO', 'CTPAT', 'IMO'] },
              value: { type: 'string', minLength: 1, maxLength: 100 },
            },
          },
          response: { 200: decisions, ...errorResponses('PDX_ROLE_REQUIRED') },
        },
        config: { access: 'authenticated' },
      },
      async (request) => {
        const caller = { id: callingParty(request, 'partner statuses') };
        const { scheme } = request.query;
        const wanted = normaliseCertificateNumber(request.query.value);
        const found: PartnerDecision[] = [];
        // Among the buyer's linked partners only: a lookup reveals nothing about anyone else.
        for (const record of await statuses.find({ buyerId: caller.id, linked: true })) {
          const party = await facts.parties.get(record.partnerId);
          const byIdentifier = (party?.identifiers ?? []).some(
            (i) => i.scheme === scheme && normaliseCertificateNumber(i.value) === wanted,
          );
          // An AEO authorisation or a C-TPAT account is also known by its certificate number.
          const ofScheme = (schemeId: string) =>
            scheme === 'AEO'
              ? catalogues.byId.get(schemeId)?.kind === 'aeo-programme'
              : scheme === 'CTPAT' && schemeId === 'us-ctpat';
          const byCertificate =
            (scheme === 'AEO' || scheme === 'CTPAT') &&
            (await facts.certificates.find({ holder: record.partnerId })).some(
              (c) => ofScheme(c.certificate.schemeId) && c.certificate.number === wanted,
            );
          if (byIdentifier || byCertificate) found.push(record.decision);
        }
        return { partners: found };
      },
    );
    app.get<{ Params: { partnerId: string } }>(
      '/v1/partner-status/:partnerId/history',
      {
        schema: {
          params: { type: 'object', required: ['partnerId'], properties: { partnerId: partyId } },
          response: { 200: history, ...errorResponses('PDX_ROLE_REQUIRED', 'PDX_PARTNER_NOT_LINKED') },
        },
        config: { access: 'authenticated' },
      },
      async (request) => {
        const caller = principalOf(request);
        const record = await statuses.get(`${caller.id}~${request.params.partnerId}`);
        if (caller.kind !== 'party' || !record?.linked) {
          throw new PdxError(
            'PDX_PARTNER_NOT_LINKED',
            `${request.params.partnerId} has no accepted business relationship with you`,
          );
        }
        const changes = await facts.history.find({ buyerId: caller.id, partnerId: request.params.partnerId });
        changes.sort((a, b) => a.version - b.version);
        return {
          changes: changes.map((h) => ({
            version: h.version,
            ...(h.previousStatus === undefined ? {} : { previousStatus: h.previousStatus }),
            cause: h.cause,
            decision: h.decision,
          })),
        };
      },
    );
  };
}

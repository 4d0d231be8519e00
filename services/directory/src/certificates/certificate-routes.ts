import {
  type CertificateStatus,
  type CertificateView,
  type KeyState,
  PdxError,
  relationshipId,
} from '@pdx/contracts';
import { errorResponses, type Principal, principalOf } from '@pdx/http';
import type { CertificateDoc, LinkDoc, PartyDoc } from '@pdx/read-models';
import type { Clock } from '@pdx/runtime';
import { daysToExpiry, effectiveState, normaliseCertificateNumber } from '@pdx/schemes';
import type { Collection } from '@pdx/store';
import type { FastifyPluginAsync } from 'fastify';
import { keyCheckNow } from './certificate-key-check.js';
import {
  type CertificateListQuery,
  effectiveStates,
  filterAsync,
  listCertificates,
} from './certificate-list.js';

const partyId = { $ref: 'urn:pdx:schema:common:party-id.v1' } as const;

function view(
  doc: CertificateDoc,
  now: number,
  issuerKeys: readonly KeyState[] | undefined,
): CertificateView {
  const days = daysToExpiry(doc.certificate, now);
  const keyCheck = keyCheckNow(doc, issuerKeys);
  return {
    certificate: doc.certificate,
    effectiveState: effectiveState(doc.certificate, now),
    ...(days === undefined ? {} : { daysToExpiry: days }),
    ...(keyCheck === undefined ? {} : { keyCheck }),
    asOf: new Date(now).toISOString(),
  };
}

/**
 * Certificates for the people who rely on them: a buyer sees its accepted partners'
 * certificates with their state now and the days left; holders and issuers see their own;
 * anyone authenticated may check one certificate by scheme and number, and learns its
 * holder and whether it is in force (the details only with consent, as for declarations).
 */
export function certificateRoutes(
  docs: Collection<CertificateDoc>,
  relationships: Collection<LinkDoc>,
  parties: Collection<PartyDoc>,
  clock: Clock,
): FastifyPluginAsync {
  // The key check is made again at every answer: a revocation may reach back.
  const keysOf = (memo = new Map<string, Promise<KeyState[] | undefined>>()) => {
    return (doc: CertificateDoc): Promise<KeyState[] | undefined> => {
      const issuer = doc.certificate.issuer;
      if (issuer === undefined) return Promise.resolve(undefined);
      let keys = memo.get(issuer);
      if (!keys) {
        keys = parties.get(issuer).then((p) => p?.keys);
        memo.set(issuer, keys);
      }
      return keys;
    };
  };
  const linked = async (caller: Principal, holder: string) =>
    caller.kind === 'operator' ||
    caller.id === holder ||
    (await relationships.get(relationshipId(caller.id, holder)))?.state === 'accepted';
  const visible = async (caller: Principal, doc: CertificateDoc) =>
    caller.id === doc.certificate.issuer || (await linked(caller, doc.holder));

  return async (app) => {
    app.get<{ Querystring: CertificateListQuery }>(
      '/v1/certificates',
      {
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              holder: { ...partyId, description: 'Only the certificates of this holder.' },
              issuer: {
                ...partyId,
                description:
                  'Only the certificates this issuer attested; an issuer asking for its own lists every one of them, whoever holds it.',
              },
              scheme: {
                $ref: 'urn:pdx:schema:common:scheme-id.v1',
                description: 'Only the certificates of this scheme (catalogue id).',
              },
              state: {
                enum: [...effectiveStates],
                description: 'Only the certificates in this state now.',
              },
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['certificates'],
              properties: {
                certificates: { type: 'array', items: { $ref: 'urn:pdx:schema:api:certificate-view.v1' } },
              },
            },
          },
        },
        config: { access: 'authenticated' },
      },
      async (request) => {
        const caller = principalOf(request);
        const now = clock.now();
        const { holder, issuer } = request.query;
        let found: CertificateDoc[];
        if (issuer !== undefined) {
          // What an issuer attested: all of it for the issuer itself (or an operator), else only
          // what the caller may see anyway.
          const attested = await docs.find({
            'certificate.issuer': issuer,
            ...(holder === undefined ? {} : { holder }),
          });
          found =
            caller.kind === 'operator' || caller.id === issuer
              ? attested
              : await filterAsync(attested, (doc) => linked(caller, doc.holder));
        } else {
          let holders: string[];
          if (holder !== undefined) {
            holders = (await linked(caller, holder)) ? [holder] : [];
          } else {
            const partners = await relationships.find({ buyerId: caller.id });
            holders = [caller.id, ...partners.filter((r) => r.state === 'accepted').map((r) => r.partnerId)];
          }
          found = (await Promise.all(holders.map((h) => docs.find({ holder: h })))).flat();
        }
        const issuerKeys = keysOf();
        const views = await Promise.all(found.map(async (doc) => view(doc, now, await issuerKeys(doc))));
        return { certificates: listCertificates(views, request.query) };
      },
    );
    app.get<{ Params: { certificateId: string } }>(
      '/v1/certificates/:certificateId',
      {
        schema: {
          params: {
            type: 'object',
            required: ['certificateId'],
            properties: { certificateId: { $ref: 'urn:pdx:schema:common:certificate-id.v1' } },
          },
          response: {
            200: { $ref: 'urn:pdx:schema:api:certificate-view.v1' },
            ...errorResponses('PDX_CERTIFICATE_NOT_FOUND'),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request) => {
        const doc = await docs.get(request.params.certificateId);
        if (!doc || !(await visible(principalOf(request), doc))) {
          throw new PdxError(
            'PDX_CERTIFICATE_NOT_FOUND',
            `no certificate ${request.params.certificateId} is visible to you`,
          );
        }
        return view(doc, clock.now(), await keysOf()(doc));
      },
    );
    app.get<{ Querystring: { scheme: string; number: string } }>(
      '/v1/certificate-status',
      {
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            required: ['scheme', 'number'],
            properties: {
              scheme: { $ref: 'urn:pdx:schema:common:scheme-id.v1' },
              number: { type: 'string', minLength: 1, maxLength: 100 },
            },
          },
          response: { 200: { $ref: 'urn:pdx:schema:api:certificate-status.v1' } },
        },
        config: { access: 'authenticated' },
      },
      async (request): Promise<CertificateStatus> => {
        const now = clock.now();
        const number = normaliseCertificateNumber(request.query.number);
        const asOf = new Date(now).toISOString();
        const [doc] = await docs.find(
          { 'certificate.schemeId': request.query.scheme, 'certificate.number': number },
          { limit: 1 },
        );
        if (!doc) return { schemeId: request.query.scheme, number, found: false, asOf };
        const c = doc.certificate;
        const days = daysToExpiry(c, now);
        const keyCheck = keyCheckNow(doc, await keysOf()(doc));
        return {
          schemeId: c.schemeId,
          number: c.number,
          found: true,
          certificateId: c.certificateId,
          holder: c.holder,
          trust: c.trust,
          effectiveState: effectiveState(c, now),
          ...(c.validUntil === undefined ? {} : { validUntil: c.validUntil }),
          ...(days === undefined ? {} : { daysToExpiry: days }),
          ...(keyCheck === undefined ? {} : { keyCheck }),
          ...((await visible(principalOf(request), doc)) ? { certificate: c } : {}),
          asOf,
        };
      },
    );
  };
}

import { SchemaRegistry } from '@pdx/contracts';
import { silentLogger } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from './http-server.js';

/** Routes name their ids by `$ref` to schemas/common; a bad id is the caller's error, with its pointer. */
const app = createHttpServer({ logger: silentLogger(), registry: new SchemaRegistry(), readiness: [] });

beforeAll(async () => {
  app.get(
    '/parties/:partyId/keys/:kid',
    {
      schema: {
        params: {
          type: 'object',
          required: ['partyId', 'kid'],
          properties: {
            partyId: { $ref: 'urn:pdx:schema:common:party-id.v1' },
            kid: { $ref: 'urn:pdx:schema:common:key-id.v1' },
          },
        },
      },
    },
    async (request) => request.params,
  );
  app.get(
    '/certificates',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            certificateId: { $ref: 'urn:pdx:schema:common:certificate-id.v1' },
            relationshipId: { $ref: 'urn:pdx:schema:common:relationship-id.v1' },
            declarationId: { $ref: 'urn:pdx:schema:common:declaration-id.v1' },
            reviewId: { $ref: 'urn:pdx:schema:common:record-id.v1' },
            scheme: { $ref: 'urn:pdx:schema:common:scheme-id.v1', description: 'a catalogue id' },
          },
        },
      },
    },
    async (request) => request.query,
  );
  await app.ready();
});
afterAll(() => app.close());

describe('shared id schemas in route schemas', () => {
  it.each([
    ['/parties/acme-logistics/keys/k1', 200, undefined],
    ['/parties/a/keys/2027-01.k~1:x', 200, undefined],
    ['/parties/Acme/keys/k1', 400, '/partyId'],
    ['/parties/acme-/keys/k1', 400, '/partyId'],
    [`/parties/${'a'.repeat(65)}/keys/k1`, 400, '/partyId'],
    ['/parties/acme/keys/k%201', 400, '/kid'],
    [`/parties/acme/keys/${'k'.repeat(129)}`, 400, '/kid'],
    [`/certificates?certificateId=eu-aeo-aeos~${'0'.repeat(20)}`, 200, undefined],
    [`/certificates?certificateId=eu-aeo-aeos~${'0'.repeat(19)}`, 400, '/certificateId'],
    ['/certificates?relationshipId=buyer~partner', 200, undefined],
    ['/certificates?relationshipId=buyer', 400, '/relationshipId'],
    ['/certificates?declarationId=DoS-2027.1', 200, undefined],
    ['/certificates?declarationId=-dos', 400, '/declarationId'],
    ['/certificates?reviewId=R_1', 200, undefined],
    ['/certificates?reviewId=R:1', 400, '/reviewId'],
    ['/certificates?scheme=isps', 200, undefined],
    ['/certificates?scheme=ISPS', 400, '/scheme'],
  ])('GET %s → %i %s', async (url, status, pointer) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode, res.body).toBe(status);
    if (pointer) expect(res.json()).toMatchObject({ code: 'PDX_REQUEST_INVALID', status: 400, pointer });
  });
});

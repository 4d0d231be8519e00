import { PdxError, SchemaRegistry } from '@pdx/contracts';
import { silentLogger } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from './http-server.js';
import { errorResponses } from './openapi.js';
import { enableResponseChecks, takeResponseMismatches } from './response-check.js';

enableResponseChecks();
const app = createHttpServer({ logger: silentLogger(), registry: new SchemaRegistry(), readiness: [] });
const party = { $ref: 'urn:pdx:schema:api:party.v1' } as const;

beforeAll(async () => {
  await app.register(async (scope) => {
    const schema = { response: { 200: party, ...errorResponses('PDX_PARTY_NOT_FOUND') } };
    scope.get('/no-party', { schema }, async () => ({ partyId: 'x' }));
    scope.get('/wrong-code', { schema }, async () => {
      throw new PdxError('PDX_PARTY_CONFLICT', 'not documented here');
    });
    scope.get('/other-404', { schema }, async () => {
      throw new PdxError('PDX_KEY_NOT_FOUND', 'a 404 the route does not list');
    });
    scope.get('/teapot', { schema }, async (_request, reply) =>
      reply.code(418 as 200).send({ tea: true } as never),
    );
    scope.get('/missing', { schema }, async () => {
      throw new PdxError('PDX_PARTY_NOT_FOUND', 'documented');
    });
    scope.get('/text', { schema }, async (_request, reply) => reply.type('text/plain').send('hello'));
  });
  await app.ready();
});
afterAll(() => app.close());

describe('response checks (tests only)', () => {
  it('record a body that does not match its schema', async () => {
    await app.inject('/no-party');
    expect(takeResponseMismatches()).toEqual([
      expect.stringMatching(/^GET \/no-party → 200: the body does not match/),
    ]);
  });

  it('record a problem code its response does not list, and an undocumented status', async () => {
    await app.inject('/wrong-code');
    await app.inject('/other-404');
    await app.inject('/teapot');
    expect(takeResponseMismatches()).toEqual([
      expect.stringMatching(/→ 409: status 409 is not documented/),
      expect.stringMatching(
        /→ 404: problem PDX_KEY_NOT_FOUND is not among the documented PDX_PARTY_NOT_FOUND/,
      ),
      expect.stringMatching(/→ 418: status 418 is not documented/),
    ]);
  });

  it('record an undocumented content type', async () => {
    await app.inject('/text');
    expect(takeResponseMismatches()).toEqual([expect.stringMatching(/content type text\/plain/)]);
  });

  it('accept what the route documents: the listed problem, and the common ones', async () => {
    expect((await app.inject('/missing')).statusCode).toBe(404);
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect(takeResponseMismatches()).toEqual([]);
  });
});

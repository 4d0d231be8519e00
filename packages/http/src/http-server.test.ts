import { PdxError, SchemaRegistry } from '@pdx/contracts';
import { silentLogger } from '@pdx/runtime';
import { OutboxPendingError } from '@pdx/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from './http-server.js';

const app = createHttpServer({
  logger: silentLogger(),
  registry: new SchemaRegistry(),
  readiness: [
    { name: 'up', check: async () => {} },
    {
      name: 'down',
      check: async () => {
        throw new Error('connection refused');
      },
    },
  ],
});

beforeAll(async () => {
  app.get('/things/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  app.get('/boom', async () => {
    throw new Error('secret internal detail');
  });
  app.get('/coded', async () => {
    throw new PdxError('PDX_PARTY_NOT_FOUND', 'no party x', { pointer: '/partyId' });
  });
  app.post('/echo', async (request) => request.body);
  app.get('/log-down', async () => {
    throw new OutboxPendingError('kafkajs: connection refused 10.0.0.7:9092', {
      publicDetail: 'the event log did not acknowledge within 5000 ms: the change is recorded',
    });
  });
  await app.ready();
});
afterAll(() => app.close());

describe('every error is problem+json with a stable type', () => {
  it.each([
    ['GET', `/things/${'a'.repeat(129)}`, 200, undefined],
    ['GET', `/things/${'a'.repeat(400)}`, 414, 'PDX_URL_TOO_LONG'],
    ['GET', '/things/%E0%A4%A', 400, 'PDX_URL_INVALID'],
    ['GET', '/nowhere', 404, 'PDX_ROUTE_NOT_FOUND'],
    ['GET', '/coded', 404, 'PDX_PARTY_NOT_FOUND'],
    ['GET', '/boom', 500, 'PDX_INTERNAL'],
    // RFC 10008 §2: a QUERY without Content-Type is refused (by fastify), as the client's error.
    ['QUERY', '/things/a', 415, 'PDX_MEDIA_TYPE_UNSUPPORTED'],
    ['QUERY', '/nowhere', 415, 'PDX_MEDIA_TYPE_UNSUPPORTED'],
  ])('%s %s → %i %s', async (method, url, status, code) => {
    const res = await app.inject({ method: method as 'GET', url });
    expect(res.statusCode).toBe(status);
    if (code) {
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ code, status, type: expect.stringMatching(/^urn:pdx:problem:/) });
      expect(res.body).not.toContain('secret internal detail');
    }
  });

  it('refuses bodies that are not JSON: 415 for another media type, 400 for broken JSON', async () => {
    const text = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'text/plain' },
      payload: 'x',
    });
    expect(text.statusCode).toBe(415);
    expect(text.json().code).toBe('PDX_MEDIA_TYPE_UNSUPPORTED');
    const broken = await app.inject({
      method: 'POST',
      url: '/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{',
    });
    expect(broken.json().code).toBe('PDX_REQUEST_MALFORMED');
  });

  it('answers 503 with Retry-After and the detail when the event log is unavailable', async () => {
    const res = await app.inject({ method: 'GET', url: '/log-down' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({
      code: 'PDX_EVENT_LOG_UNAVAILABLE',
      detail: expect.stringContaining('recorded'),
    });
    expect(res.body).not.toContain('10.0.0.7');
    expect((await app.inject({ method: 'GET', url: '/coded' })).headers['retry-after']).toBeUndefined();
  });

  it('reports readiness per dependency', async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'not-ready', checks: { up: 'ok', down: 'connection refused' } });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
  });
});

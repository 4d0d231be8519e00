import { type ErrorCode, errorCatalog, PdxError, problemType, SchemaRegistry } from '@pdx/contracts';
import { RuntimeError, silentLogger } from '@pdx/runtime';
import { OutboxPendingError, StoreError, storeErrorCatalog } from '@pdx/store';
import type { FastifyRequest } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from './http-server.js';
import { toProblem } from './problem.js';

describe('the one error catalog', () => {
  it('holds every store error code with the HTTP status the store documents', () => {
    const catalog: Readonly<Record<string, { status: number | null }>> = errorCatalog;
    for (const [code, info] of Object.entries(storeErrorCatalog)) {
      expect(catalog[code]?.status, code).toBe(info.httpStatus);
    }
  });
});

// The event log's BusError is answered the same way: packages/host/src/error-answers.test.ts.
describe('an error of any package that reaches a route answers its catalog status', () => {
  const app = createHttpServer({ logger: silentLogger(), registry: new SchemaRegistry(), readiness: [] });
  // Each message is written for operators: none of it may reach the client.
  const secret = 'mongodb://10.0.0.7:27017 things.number_1';
  const thrown: Record<string, () => Error> = {
    'store-duplicate': () =>
      new StoreError('PDX_STORE_DUPLICATE', `E11000 duplicate key on ${secret}`, {
        cause: new Error(secret),
      }),
    'store-unavailable': () => new StoreError('PDX_STORE_UNAVAILABLE', `MongoDB does not answer: ${secret}`),
    'change-contended': () => new StoreError('PDX_CHANGE_CONTENDED', `the record ${secret} kept changing`),
    'outbox-pending': () =>
      new OutboxPendingError(`the log did not acknowledge (${secret})`, {
        publicDetail: 'the event log did not acknowledge: the change is recorded',
      }),
    'config-invalid': () => new RuntimeError('PDX_CONFIG_INVALID', `PDX_SECRET must be ${secret}`),
    'retries-exhausted': () => new RuntimeError('PDX_RETRIES_EXHAUSTED', `gave up: ${secret}`),
    'dead-letter-code': () => new PdxError('PDX_EVENT_DATA_INVALID', `the event at ${secret} is invalid`),
    plain: () => Object.assign(new Error(secret), { code: 'PDX_STORE_DUPLICATE' }),
  };

  beforeAll(async () => {
    for (const [name, error] of Object.entries(thrown)) {
      app.get(`/${name}`, async () => {
        throw error();
      });
    }
    await app.ready();
  });
  afterAll(() => app.close());

  it.each<[string, number, ErrorCode, string]>([
    // A unique index broken is the client's conflict, not a masked 500.
    ['store-duplicate', 409, 'PDX_STORE_DUPLICATE', errorCatalog.PDX_STORE_DUPLICATE.title],
    ['store-unavailable', 503, 'PDX_STORE_UNAVAILABLE', errorCatalog.PDX_STORE_UNAVAILABLE.title],
    ['change-contended', 503, 'PDX_CHANGE_CONTENDED', errorCatalog.PDX_CHANGE_CONTENDED.title],
    [
      'outbox-pending',
      503,
      'PDX_EVENT_LOG_UNAVAILABLE',
      'the event log did not acknowledge: the change is recorded',
    ],
  ])('%s → %i %s, with the catalog title or the public detail', async (name, status, code, detail) => {
    const res = await app.inject({ method: 'GET', url: `/${name}` });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toEqual({
      type: problemType(code),
      title: errorCatalog[code].title,
      status,
      detail,
      code,
      instance: `/${name}`,
    });
    expect(res.headers['retry-after']).toBe(status === 503 ? '5' : undefined);
    expect(res.body).not.toContain('10.0.0.7');
  });

  it.each([
    // Codes that never reach HTTP (status null) are internal failures here: masked.
    'config-invalid',
    'retries-exhausted',
    'dead-letter-code',
    // Only a PdxError answers its code: a plain error that carries one is of unknown kind.
    'plain',
  ])('%s → a masked 500 PDX_INTERNAL', async (name) => {
    const res = await app.inject({ method: 'GET', url: `/${name}` });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({
      code: 'PDX_INTERNAL',
      type: problemType('PDX_INTERNAL'),
      status: 500,
    });
    expect(res.body).not.toContain('10.0.0.7');
  });
});

describe('no catalogued status comes out as another', () => {
  const request = { url: '/x' } as FastifyRequest;
  const codes = Object.keys(errorCatalog) as ErrorCode[];

  it('every code with a status answers it, with its type; every code without one is a masked 500', () => {
    for (const code of codes) {
      const body = toProblem(new PdxError(code, 'detail'), request);
      const status = errorCatalog[code].status;
      if (status === null) expect(body, code).toMatchObject({ status: 500, code: 'PDX_INTERNAL' });
      else expect(body, code).toMatchObject({ status, code, type: problemType(code), detail: 'detail' });
    }
  });
});

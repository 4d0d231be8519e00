import { BusError } from '@pdx/bus';
import { errorCatalog, problemType, SchemaRegistry } from '@pdx/contracts';
import { createHttpServer } from '@pdx/http';
import { silentLogger } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The event log's errors, as they reach a route of the server the host builds: their
// catalog status (packages/http/src/problem.test.ts has the store's and the runtime's).
describe('a BusError that reaches a route', () => {
  const app = createHttpServer({ logger: silentLogger(), registry: new SchemaRegistry(), readiness: [] });
  beforeAll(async () => {
    app.get('/log-down', async () => {
      throw new BusError('PDX_EVENT_LOG_UNAVAILABLE', 'Kafka did not answer at 10.0.0.7:9092');
    });
    app.get('/too-large', async () => {
      throw new BusError(
        'PDX_EVENT_LOG_UNAVAILABLE',
        'a message of 2000000 bytes is larger than 10.0.0.7 accepts',
        {
          messageTooLarge: true,
        },
      );
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it.each(['/log-down', '/too-large'])(
    '%s → 503 PDX_EVENT_LOG_UNAVAILABLE with the catalog title',
    async (url) => {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json()).toEqual({
        type: problemType('PDX_EVENT_LOG_UNAVAILABLE'),
        title: errorCatalog.PDX_EVENT_LOG_UNAVAILABLE.title,
        status: 503,
        detail: errorCatalog.PDX_EVENT_LOG_UNAVAILABLE.title,
        code: 'PDX_EVENT_LOG_UNAVAILABLE',
        instance: url,
      });
      expect(res.body).not.toContain('10.0.0.7');
    },
  );
});

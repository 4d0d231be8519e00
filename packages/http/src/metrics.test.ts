import { SchemaRegistry } from '@pdx/contracts';
import { createMetricsRegistry, silentLogger } from '@pdx/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpServer } from './http-server.js';
import { createMetricsServer } from './metrics.js';

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function server(serve: boolean) {
  const metrics = createMetricsRegistry();
  const app = createHttpServer({
    logger: silentLogger(),
    registry: new SchemaRegistry(),
    readiness: [],
    metrics: { registry: metrics, serve },
  });
  app.get('/v1/things/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  closers.push(() => app.close());
  return { app, metrics };
}

/** The series of a metric in Prometheus text, as `name{labels} value` lines. */
const lines = (text: string, name: string) =>
  text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));

describe('GET /metrics', () => {
  it('answers Prometheus text with the default process and event-loop metrics', async () => {
    const { app } = server(true);
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(res.body).toContain(`# TYPE ${name} `);
    }
  });

  it('times requests by route pattern, method and status, never by raw URL', async () => {
    const { app } = server(true);
    for (const id of ['a', 'b', 'c']) await app.inject({ method: 'GET', url: `/v1/things/${id}` });
    await app.inject({ method: 'GET', url: '/no/such/route/1' });
    await app.inject({ method: 'GET', url: '/no/such/route/2' });
    await app.inject({ method: 'DELETE', url: '/v1/things/a' });
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const counts = lines(text, 'http_request_duration_seconds_count');
    expect(counts).toEqual(
      expect.arrayContaining([
        'http_request_duration_seconds_count{method="GET",route="/v1/things/:id",status_code="200"} 3',
        'http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"} 2',
        'http_request_duration_seconds_count{method="DELETE",route="unmatched",status_code="404"} 1',
      ]),
    );
    expect(text).not.toContain('/v1/things/a');
    expect(text).not.toContain('/no/such');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain(
      'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/v1/things/:id",status_code="200"} 3',
    );
  });

  it('is declared public, so the authentication plugin lets a scraper in without a token', async () => {
    const { app } = server(true);
    let access: unknown;
    app.addHook('onRequest', async (request) => {
      access = (request.routeOptions.config as { access?: unknown }).access;
    });
    await app.inject({ method: 'GET', url: '/metrics' });
    expect(access).toBe('public');
  });

  it('is not on the main server when a separate listener serves it', async () => {
    const { app, metrics } = server(false);
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(404);
    expect(res.json().type).toMatch(/route-not-found$/);

    const alone = createMetricsServer({ registry: metrics, logger: silentLogger() });
    closers.push(() => alone.close());
    const scraped = await alone.inject({ method: 'GET', url: '/metrics' });
    expect(scraped.statusCode).toBe(200);
    // The main server still times its requests into the same registry.
    expect(scraped.body).toContain(
      'http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"} 1',
    );
    const other = await alone.inject({ method: 'GET', url: '/v1/things/a' });
    expect(other.statusCode).toBe(404);
    expect(other.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});

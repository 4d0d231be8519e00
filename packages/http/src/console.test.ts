import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaRegistry } from '@pdx/contracts';
import { createMetricsRegistry, type Logger, silentLogger } from '@pdx/runtime';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authPlugin } from './auth.js';
import { CONSOLE_CSP, isClientRoute, registerConsole } from './console.js';
import { createHttpServer } from './http-server.js';

const dir = mkdtempSync(join(tmpdir(), 'pdx-console-'));
const PAGE = '<!doctype html><html lang="en"><title>pdx console</title><div id="app"></div></html>';

/** As a host assembles it: every route must declare its access (the auth plugin refuses one that does not). */
async function server(root: string, logger: Logger = silentLogger()): Promise<FastifyInstance> {
  const app = createHttpServer({
    logger,
    registry: new SchemaRegistry(),
    readiness: [],
    metrics: { registry: createMetricsRegistry(), serve: true },
    api: { title: 'test', version: '0' },
  });
  await app.register(authPlugin, {
    verifier: undefined,
    realm: 'test',
    missingVerifier: 'none in this test',
  });
  app.get('/v1/things', { config: { access: 'public' } }, async () => ({ things: [] }));
  registerConsole(app, { root, logger });
  return app;
}

let app: FastifyInstance;
beforeAll(async () => {
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), PAGE);
  writeFileSync(join(dir, 'assets', 'index-Ab1_c.js'), 'console.log(1)');
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, '.secret'), 'no');
  app = await server(dir);
  await app.ready();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the console served at /', () => {
  it('serves its page with a strict Content-Security-Policy and no caching', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toBe(PAGE);
    expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("default-src 'self'");
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    expect(CONSOLE_CSP).toContain("connect-src 'self'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-cache');
  });

  it('answers every client route with the page (SPA fallback)', async () => {
    const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
    for (const url of ['/partners', '/partners/acme-logistics', '/sign-in/', '/partners?status=credible']) {
      const res = await app.inject({ method: 'GET', url, headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toBe(PAGE);
      expect(res.headers['content-security-policy'], url).toBe(CONSOLE_CSP);
    }
    // An API client (no HTML asked for) gets the 404 problem.
    for (const accept of ['application/json', '*/*']) {
      const res = await app.inject({ method: 'GET', url: '/partners', headers: { accept } });
      expect(res.statusCode, accept).toBe(404);
      expect(res.json().code).toBe('PDX_ROUTE_NOT_FOUND');
    }
  });

  it('serves hashed assets cached for a year, and the icon', async () => {
    const js = await app.inject({ method: 'GET', url: '/assets/index-Ab1_c.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
  });

  it('leaves the API, missing files and dot files a 404 problem, never the page', async () => {
    expect((await app.inject({ method: 'GET', url: '/v1/things' })).json()).toEqual({ things: [] });
    for (const url of [
      '/v1/nothing',
      '/v1',
      '/oauth/nothing',
      '/assets/missing.js',
      '/assets/..%2Findex.html',
      '/assets/.secret',
      '/.secret',
      '/Partners',
      '/partners.php',
    ]) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().code, url).toBe('PDX_ROUTE_NOT_FOUND');
    }
    const post = await app.inject({ method: 'POST', url: '/partners', payload: {} });
    expect(post.statusCode).toBe(404);
  });

  it('counts a path it does not serve as unmatched in the metrics', async () => {
    await app.inject({ method: 'GET', url: '/v1/nothing/at-all' });
    const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="unmatched",status_code="404"\} [1-9]/,
    );
    expect(text).not.toMatch(/route="\/\*",status_code="404"/);
  });

  it('is left out of the OpenAPI document', async () => {
    const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/', '/assets/{*}', '/{*}', '/assets/*', '/*'])
      expect(Object.keys(document.paths)).not.toContain(path);
  });

  it('says so and serves nothing when there is no build', async () => {
    const lines: string[] = [];
    const logger = Object.assign(Object.create(silentLogger()), {
      warn: (_o: object, msg: string) => void lines.push(msg),
    }) as Logger;
    const bare = await server(join(dir, 'missing'), logger);
    await bare.ready();
    expect(lines.join('\n')).toMatch(/no console build/);
    expect((await bare.inject({ method: 'GET', url: '/' })).statusCode).toBe(404);
    await bare.close();
  });

  it('tells client routes from everything else', () => {
    expect(['/', '/partners', '/partners/acme-1', '/a/b/c/'].every(isClientRoute)).toBe(true);
    expect(
      [
        '/v1/x',
        '/docs',
        '/healthz',
        '/readyz',
        '/metrics',
        '/oauth/token',
        '/x.js',
        '/A',
        '//x',
        '/a//b',
      ].some(isClientRoute),
    ).toBe(false);
  });
});

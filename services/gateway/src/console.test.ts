import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_CSP } from '@pdx/http';
import { silentLogger } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from './gateway.js';
import { upstreamVariable } from './gateway-config.js';
import { upstreamServices } from './upstream-routes.js';

// The gateway serves the console's files itself: no upstream is asked for them.
const dir = mkdtempSync(join(tmpdir(), 'pdx-gateway-console-'));
let gateway: Gateway;

beforeAll(async () => {
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>pdx console</title>');
  writeFileSync(join(dir, 'assets', 'index-1.js'), 'export {}');
  gateway = createGateway({
    // Unreachable upstreams: what the test asks must not need them.
    env: Object.fromEntries(upstreamServices.map((s) => [upstreamVariable(s), 'http://127.0.0.1:9'])),
    logger: silentLogger(),
    consoleDir: dir,
  });
  await gateway.http.ready();
});
afterAll(async () => {
  await gateway?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the gateway serves the console', () => {
  it('at / and its client routes, with the console CSP', async () => {
    for (const url of ['/', '/partners']) {
      const res = await gateway.http.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('pdx console');
      expect(res.headers['content-security-policy']).toBe(CONSOLE_CSP);
    }
    const js = await gateway.http.inject({ method: 'GET', url: '/assets/index-1.js' });
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('while unknown paths stay a 404 problem', async () => {
    const res = await gateway.http.inject({ method: 'GET', url: '/v2/nothing', headers: { accept: '*/*' } });
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json().code).toBe('PDX_ROUTE_NOT_FOUND');
  });
});

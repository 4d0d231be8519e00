import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertsService } from '@pdx/alerts';
import { certificatesService } from '@pdx/certificates';
import { errorCatalog, problemType } from '@pdx/contracts';
import { directoryService } from '@pdx/directory';
import { createHost, type Host } from '@pdx/host';
import { openApiPath } from '@pdx/http';
import { routesOf } from '@pdx/http/testing';
import { intakeService } from '@pdx/intake';
import { ledgerService } from '@pdx/ledger';
import { reviewService } from '@pdx/review';
import { silentLogger } from '@pdx/runtime';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');

interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: { in: string; name: string }[];
  responses: Record<
    string,
    { content?: Record<string, unknown>; 'x-pdx-problems'?: { code: string; type: string }[] }
  >;
}
type Document = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
};

/** Every `METHOD /path` the README's API tables name, as OpenAPI paths. */
function readmeRoutes(): string[] {
  const routes = new Set<string>();
  for (const [, cell] of readme.matchAll(/^\|\s*(`(?:GET|POST|PUT|DELETE) [^|]*?)\s*\|/gm)) {
    for (const [, method, path] of cell!
      .replaceAll('\\|', '|')
      .matchAll(/`(GET|POST|PUT|DELETE) ([^`\s[?]+)/g)) {
      routes.add(`${method} ${path}`);
    }
  }
  return [...routes].sort();
}

describe('OpenAPI document (GET /openapi.json)', () => {
  let host: Host;
  let dir: string;
  let document: Document;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pdx-openapi-test-'));
    host = await createHost({
      name: 'pdx',
      services: [
        intakeService,
        directoryService,
        certificatesService,
        alertsService,
        reviewService,
        ledgerService,
      ],
      env: { PDX_DATA_DIR: dir },
      logger: silentLogger(),
    });
    const res = await host.http.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    document = res.json();
  });
  afterAll(async () => {
    await host?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        key: `${method.toUpperCase()} ${path}`,
        operation,
      })),
    );

  it('is valid OpenAPI 3.1, titled and versioned from package.json', async () => {
    const validator = new Validator();
    const result = await validator.validate(structuredClone(document) as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toBe('3.1.0');
    const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
    expect(document.info.version).toBe(pkg.version);
  });

  it('resolves every $ref inside itself', () => {
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(50);
    const unresolved = refs.filter((ref) => {
      if (!ref.startsWith('#/')) return true;
      let node: unknown = document;
      for (const token of ref.slice(2).split('/')) {
        const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
        node = (node as Record<string, unknown> | undefined)?.[key];
      }
      return node === undefined;
    });
    expect(unresolved).toEqual([]);
    expect(JSON.stringify(document)).not.toContain('urn:pdx:schema:');
  });

  it('describes every route fastify serves, and no other', () => {
    const served = new Set<string>();
    for (const { method, url, hidden } of routesOf(host.http)) {
      if (hidden || method === 'HEAD') continue;
      served.add(`${method} ${openApiPath(url)}`);
    }
    expect(served.size).toBeGreaterThan(45);
    expect(
      operations()
        .map((o) => o.key)
        .sort(),
    ).toEqual([...served].sort());
  });

  it('has every route of the README API tables', () => {
    const documented = new Set(operations().map((o) => o.key));
    const listed = readmeRoutes();
    expect(listed.length).toBeGreaterThan(40);
    expect(listed.filter((route) => !documented.has(route))).toEqual([]);
  });

  it('gives every operation a unique operationId and its security (none for public routes)', () => {
    const ids = operations().map((o) => o.operation.operationId);
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    const publicOnes = operations()
      .filter((o) => o.operation.security?.length === 0)
      .map((o) => o.key);
    expect(publicOnes).toEqual(
      expect.arrayContaining([
        'GET /healthz',
        'GET /readyz',
        'GET /.well-known/jwks.json',
        'GET /openapi.json',
      ]),
    );
    expect(operations().find((o) => o.key === 'GET /v1/parties/{partyId}')?.operation.security).toEqual([
      { accessToken: [] },
    ]);
    expect(document.components.securitySchemes.accessToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('lists for every error response the problem codes it can carry, each in the catalog with its status', () => {
    let errors = 0;
    for (const { key, operation } of operations()) {
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) < 400 || key === 'GET /readyz') continue;
        errors++;
        // The token endpoint's refusals are OAuth errors (RFC 6749 §5.2, application/json);
        // anything else it answers (a malformed URL, the database down) is a problem.
        const oauth = key === 'POST /oauth/token' && (status === '400' || status === '401');
        const types = Object.keys(response.content ?? {});
        if (oauth) {
          expect(types, `${key} ${status}`).toContain('application/json');
          if (!types.includes('application/problem+json')) continue;
        } else {
          expect(types, `${key} ${status}`).toEqual(['application/problem+json']);
        }
        const problems = response['x-pdx-problems'];
        expect(problems, `${key} ${status}`).toBeDefined();
        for (const { code, type } of problems!) {
          const entry = errorCatalog[code as keyof typeof errorCatalog];
          expect(entry, `${key} ${status}: ${code}`).toBeDefined();
          expect(String(entry.status), `${key}: ${code}`).toBe(status);
          expect(type).toBe(problemType(code as keyof typeof errorCatalog));
        }
      }
    }
    expect(errors).toBeGreaterThan(200);
    const get = operations().find((o) => o.key === 'GET /v1/parties/{partyId}')!.operation;
    expect(get.responses['404']?.['x-pdx-problems']?.map((p) => p.code)).toEqual(['PDX_PARTY_NOT_FOUND']);
    expect(get.responses['401']?.['x-pdx-problems']?.map((p) => p.code)).toContain('PDX_AUTH_REQUIRED');
  });

  it('is the committed schemas/api/openapi.json (run `npm run gen:openapi` when it is stale)', () => {
    const committed = readFileSync(new URL('schemas/api/openapi.json', root), 'utf8');
    expect(committed, 'schemas/api/openapi.json is stale: npm run build && npm run gen:openapi').toBe(
      `${JSON.stringify(document, null, 2)}\n`,
    );
  });

  it('serves the reference at /docs from this origin only (no CDN)', async () => {
    const page = await host.http.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const refs = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(3);
    const external = (text: string) =>
      [
        ...text.matchAll(
          /(?:src|href)\s*=\s*["']?((?:https?:)?\/\/[^"'\s>]+)|url\(\s*["']?((?:https?:)?\/\/[^)"']+)|@import\s+["']((?:https?:)?\/\/[^"']+)/g,
        ),
      ].map((m) => m[1] ?? m[2] ?? m[3]);
    expect(external(page.body)).toEqual([]);
    for (const ref of refs) {
      expect(ref, 'a relative reference').not.toMatch(/^(?:[a-z]+:)?\/\//i);
      const asset = await host.http.inject({
        method: 'GET',
        url: new URL(ref, 'http://pdx.test/docs/').pathname,
      });
      expect(asset.statusCode, ref).toBe(200);
      if (/\.css$/.test(ref)) expect(external(asset.body), ref).toEqual([]);
      // The bundles are the npm package's own files; none loads from a CDN or a font service.
      expect(asset.body, ref).not.toMatch(
        /unpkg\.com|jsdelivr\.net|cdnjs\.|fonts\.googleapis|fonts\.gstatic/,
      );
    }
    const init = await host.http.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    // No validator badge (it would send the document to validator.swagger.io); the only URL
    // in the page's own script is in a comment.
    expect(init.body).toContain('validatorUrl: null');
    const code = init.body.replace(/^\s*\/\/.*$/gm, '');
    expect(code).not.toMatch(/https?:\/\//);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@pdx/runtime';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from './gateway.js';
import type { UpstreamService } from './upstream-routes.js';

// The gateway in front of stand-in services on loopback ports: each echoes what reached it,
// so that routing, headers and bodies can be checked byte for byte.

const exchangeKey = {
  kty: 'OKP',
  crv: 'Ed25519',
  alg: 'EdDSA',
  use: 'sig',
  kid: 'exchange-1',
  x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo',
};
const webhookKey = { ...exchangeKey, kid: 'webhook-1', x: 'A'.repeat(43) };
const rawJson = '{ "partyId" :"acme",\n  "n": 1.50 }';

interface Echo {
  service: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

interface Answer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A raw HTTP/1.1 request: headers and path exactly as given (fetch would refuse some). */
function send(
  base: string,
  method: string,
  path: string,
  headers: OutgoingHttpHeaders = {},
  body?: string | string[],
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const chunk of Array.isArray(body) ? body : body === undefined ? [] : [body]) req.write(chunk);
    req.end();
  });
}

describe('gateway', () => {
  const upstreams = new Map<UpstreamService, FastifyInstance>();
  const streamClosed: { resolve?: () => void } = {};
  let gateway: Gateway;
  let base: string;
  let dir: string;
  let partnerStatusCalls = 0;

  const echoService = (service: UpstreamService) => {
    const app = Fastify();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    const echo = async (request: { method: string; url: string; headers: object; body?: unknown }) =>
      ({
        service,
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: typeof request.body === 'string' ? request.body : '',
      }) as Echo;
    app.all('/v1/*', echo);
    app.all('/oauth/*', echo);
    app.all('/.well-known/oauth-authorization-server', echo);
    app.all('/docs/*', echo);
    app.get('/readyz', async () => ({ status: 'ready', checks: { eventLog: 'ok' } }));
    return app;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pdx-gateway-'));
    const openApiFile = join(dir, 'openapi.json');
    writeFileSync(openApiFile, '{"openapi":"3.1.0",  "info":{"title":"pdx"}}\n');

    for (const service of ['intake', 'directory', 'alerts', 'review'] as const) {
      upstreams.set(service, echoService(service));
    }
    const directory = upstreams.get('directory')!;
    directory.get('/v1/raw', (_req, reply) => {
      // Hop-by-hop headers a service (or a proxy in front of it) may send.
      reply.raw.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(rawJson),
        'proxy-authenticate': 'Basic',
        'keep-alive': 'timeout=5',
        connection: 'x-internal',
        'x-internal': 'for the gateway only',
        etag: '"7"',
      });
      reply.raw.end(rawJson);
    });
    const alerts = upstreams.get('alerts')!;
    alerts.get('/.well-known/jwks.json', async () => ({ keys: [exchangeKey, webhookKey] }));
    alerts.get('/v1/alerts/stream', (request, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      reply.raw.write(
        `id: 1\nevent: alert\ndata: ${JSON.stringify({ after: request.headers['last-event-id'] })}\n\n`,
      );
      // Left open: the event must reach the client while the stream goes on.
      reply.raw.on('close', () => streamClosed.resolve?.());
    });
    const review = upstreams.get('review')!;
    review.get('/.well-known/jwks.json', async () => ({ keys: [exchangeKey] }));
    review.get('/v1/review-tasks', () => new Promise(() => {}));
    review.get('/v1/partner-status', async (_req, reply) => {
      partnerStatusCalls++;
      return reply
        .code(503)
        .header('retry-after', '5')
        .type('application/problem+json')
        .send({ code: 'PDX_STORE_UNAVAILABLE' });
    });
    const urls: Record<string, string> = {};
    for (const [service, app] of upstreams) {
      urls[`PDX_${service.toUpperCase()}_URL`] = await app.listen({ port: 0, host: '127.0.0.1' });
    }
    // The ledger is down: a port nothing listens on.
    const gone = Fastify();
    urls.PDX_LEDGER_URL = await gone.listen({ port: 0, host: '127.0.0.1' });
    await gone.close();

    gateway = createGateway({
      env: {
        ...urls,
        PORT: '0',
        PDX_GATEWAY_TIMEOUT_MS: '300',
        PDX_GATEWAY_BODY_LIMIT: '2048',
      },
      logger: silentLogger(),
      openApiFile,
    });
    base = (await gateway.start()).url;
  });
  afterAll(async () => {
    await gateway?.stop();
    for (const app of upstreams.values()) await app.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('sends each path to the service that owns it, query included', async () => {
    const cases: [string, string, UpstreamService][] = [
      ['POST', '/v1/parties', 'intake'],
      ['GET', '/v1/parties/acme?x=1&y=%20', 'directory'],
      ['GET', '/v1/alerts?acknowledged=false', 'alerts'],
      ['PUT', '/v1/recognition-policies/globex', 'intake'],
      ['POST', '/oauth/token', 'intake'],
      ['GET', '/.well-known/oauth-authorization-server', 'intake'],
    ];
    for (const [method, path, service] of cases) {
      const res = await send(
        base,
        method,
        path,
        method === 'GET' ? {} : { 'content-type': 'application/json' },
        method === 'GET' ? undefined : '{}',
      );
      expect(res.status, `${method} ${path}: ${res.body}`).toBe(200);
      const echo = JSON.parse(res.body) as Echo;
      expect(echo).toMatchObject({ service, method, url: path });
    }
  });

  it('passes bodies on as bytes, whatever their type, and answers with the service’s bytes', async () => {
    const jws = 'eyJhbGciOiJFZERTQSJ9.eyJ4IjoxfQ.c2ln';
    const jose = JSON.parse(
      (await send(base, 'POST', '/v1/declarations', { 'content-type': 'application/jose' }, jws)).body,
    ) as Echo;
    expect(jose.body).toBe(jws);
    expect(jose.headers['content-type']).toBe('application/jose');
    const json = JSON.parse(
      (await send(base, 'POST', '/v1/parties', { 'content-type': 'application/json' }, rawJson)).body,
    ) as Echo;
    expect(json.body).toBe(rawJson);
    const chunked = JSON.parse(
      (await send(base, 'POST', '/v1/parties', { 'content-type': 'text/plain' }, ['par', 'ty'])).body,
    ) as Echo;
    expect(chunked.body).toBe('party');

    const raw = await send(base, 'GET', '/v1/raw');
    expect(raw.body).toBe(rawJson);
    expect(raw.headers['content-length']).toBe(String(Buffer.byteLength(rawJson)));
    expect(raw.headers.etag).toBe('"7"');
    // Hop-by-hop headers of the answer stay on the service's hop.
    expect(raw.headers['proxy-authenticate']).toBeUndefined();
    expect(raw.headers['x-internal']).toBeUndefined();
    expect(raw.headers['keep-alive']).not.toBe('timeout=5');
  });

  it('forwards end-to-end headers untouched, no hop-by-hop header, and X-Forwarded-*', async () => {
    const res = await send(base, 'GET', '/v1/parties/acme', {
      authorization: 'Bearer header.payload.signature',
      'last-event-id': '17:abc',
      connection: 'keep-alive, x-hop',
      'x-hop': 'for the gateway only',
      'keep-alive': 'timeout=5',
      te: 'trailers',
      upgrade: 'websocket',
      'proxy-authorization': 'Basic Zm9vOmJhcg==',
      'x-forwarded-for': '198.51.100.1',
    });
    const { headers } = JSON.parse(res.body) as Echo;
    expect(headers.authorization).toBe('Bearer header.payload.signature');
    expect(headers['last-event-id']).toBe('17:abc');
    for (const name of ['x-hop', 'keep-alive', 'te', 'upgrade', 'proxy-authorization', 'transfer-encoding']) {
      expect(headers[name], name).toBeUndefined();
    }
    expect(headers.connection ?? 'keep-alive').toBe('keep-alive');
    expect(headers['x-forwarded-for']).toBe('198.51.100.1, 127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe(new URL(base).host);
    expect(headers.host).toBe(new URL(gateway.config.upstreams.directory).host);
  });

  it('streams Server-Sent Events as they come, with Last-Event-ID, and closes the service’s stream when the client goes', async () => {
    const closed = new Promise<void>((resolve) => {
      streamClosed.resolve = resolve;
    });
    const url = new URL(base);
    const first = await new Promise<{ res: IncomingMessage; chunk: string; destroy(): void }>(
      (resolve, reject) => {
        const req = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            path: '/v1/alerts/stream',
            headers: { 'last-event-id': '5:abc' },
          },
          (res) => {
            res.setEncoding('utf8');
            res.once('data', (chunk: string) => resolve({ res, chunk, destroy: () => req.destroy() }));
          },
        );
        req.on('error', reject);
        req.end();
      },
    );
    // The service has not ended its stream: the event came through before the end.
    expect(first.res.complete).toBe(false);
    expect(first.res.headers['content-type']).toBe('text/event-stream');
    expect(first.chunk).toBe('id: 1\nevent: alert\ndata: {"after":"5:abc"}\n\n');
    first.destroy();
    await closed;
  });

  it('answers 502 problem+json when the service is down, and 504 when it does not answer in time', async () => {
    const down = await send(base, 'GET', '/v1/ledger/heads/latest');
    expect(down.status).toBe(502);
    expect(down.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(down.body)).toMatchObject({
      type: 'urn:pdx:problem:upstream-unavailable',
      code: 'PDX_UPSTREAM_UNAVAILABLE',
      status: 502,
      detail: 'the ledger service cannot be reached (ECONNREFUSED); retry later',
      instance: '/v1/ledger/heads/latest',
    });
    const slow = await send(base, 'GET', '/v1/review-tasks');
    expect(slow.status).toBe(504);
    expect(JSON.parse(slow.body)).toMatchObject({
      code: 'PDX_UPSTREAM_TIMEOUT',
      detail: 'the review service did not answer within 300 ms',
    });
  });

  it('passes a service’s own 503 on as it is, once (no retry)', async () => {
    const res = await send(base, 'GET', '/v1/partner-status');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(JSON.parse(res.body)).toEqual({ code: 'PDX_STORE_UNAVAILABLE' });
    expect(partnerStatusCalls).toBe(1);
  });

  it('refuses a body over its limit, declared or chunked, before or while passing it on', async () => {
    const declared = await send(
      base,
      'POST',
      '/v1/parties',
      { 'content-type': 'application/json' },
      'x'.repeat(3000),
    );
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({
      code: 'PDX_PAYLOAD_TOO_LARGE',
      detail: 'the request body is larger than the limit of 2048 bytes set by PDX_GATEWAY_BODY_LIMIT',
    });
    const chunked = await send(base, 'POST', '/v1/parties', { 'content-type': 'application/json' }, [
      'x'.repeat(1500),
      'x'.repeat(1500),
    ]);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body).code).toBe('PDX_PAYLOAD_TOO_LARGE');
  });

  it('answers its own 404 and 400 problems for paths no service owns or that it will not pass on', async () => {
    const none = await send(base, 'GET', '/nowhere');
    expect(none.status).toBe(404);
    expect(JSON.parse(none.body).code).toBe('PDX_ROUTE_NOT_FOUND');
    for (const path of ['/v1/alerts/../parties', '/v1/alerts/%2e%2e/parties', '/v1/parties/%E0%A4%A']) {
      const res = await send(base, 'GET', path);
      expect(res.status, path).toBe(400);
      expect(JSON.parse(res.body).code, path).toBe('PDX_URL_INVALID');
    }
  });

  it('serves one JWKS merged from every service, each kid once, while the ledger is down', async () => {
    const res = await send(base, 'GET', '/.well-known/jwks.json');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(JSON.parse(res.body)).toEqual({ keys: [exchangeKey, webhookKey] });
    expect(gateway.jwks.missing()).toEqual(['ledger']);
  });

  it('serves the committed OpenAPI document byte for byte', async () => {
    const res = await send(base, 'GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.body).toBe('{"openapi":"3.1.0",  "info":{"title":"pdx"}}\n');
  });

  it('gives the reference page the whole document, not the routes of the service serving the page', async () => {
    const res = await send(base, 'GET', '/docs/json');
    expect(res.status).toBe(200);
    expect(res.body).toBe('{"openapi":"3.1.0",  "info":{"title":"pdx"}}\n');
    // The page itself comes from intake.
    const page = await send(base, 'GET', '/docs/static/index.html');
    expect(JSON.parse(page.body)).toMatchObject({ service: 'intake' });
  });

  it('is live at once and ready only when every service is', async () => {
    expect((await send(base, 'GET', '/healthz')).status).toBe(200);
    const ready = await send(base, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(JSON.parse(ready.body)).toEqual({
      status: 'not-ready',
      checks: {
        intake: 'ok',
        directory: 'ok',
        alerts: 'ok',
        review: 'ok',
        ledger: 'cannot be reached (ECONNREFUSED)',
      },
    });
  });

  it('serves its own metrics: requests by route pattern and status, never proxied', async () => {
    await send(base, 'GET', '/v1/parties/acme');
    await send(base, 'GET', '/v1/ledger/head');
    const res = await send(base, 'GET', '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    const lines = res.body.split('\n');
    const count = (status: string) =>
      lines.find(
        (l) =>
          l.startsWith('http_request_duration_seconds_count{') &&
          l.includes(`status_code="${status}"`) &&
          l.includes('route="/v1/*"'),
      );
    expect(count('200'), res.body).toBeDefined();
    // The ledger is down: its 502 is counted too.
    expect(count('502'), res.body).toBeDefined();
    expect(res.body).toContain('nodejs_eventloop_lag_seconds');
  });

  it('ends open event streams when it stops', async () => {
    const url = new URL(base);
    const req = httpRequest({ host: url.hostname, port: url.port, path: '/v1/alerts/stream' });
    const ended = new Promise<void>((resolve) => req.once('close', () => resolve()));
    req.on('error', () => {});
    await new Promise<IncomingMessage>((resolve) => {
      req.once('response', (res) => resolve(res.resume()));
      req.end();
    });
    await gateway.stop();
    await ended;
  });
});

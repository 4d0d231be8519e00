import { connect } from 'node:net';
import { SchemaRegistry } from '@pdx/contracts';
import { silentLogger } from '@pdx/runtime';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from './http-server.js';

// What Node's HTTP parser and server answer on their own, before fastify routes anything:
// each must be RFC 9457 problem+json with a catalogued code, like every other 4xx.

let app: FastifyInstance;
let port: number;

beforeAll(async () => {
  app = createHttpServer({ logger: silentLogger(), registry: new SchemaRegistry(), readiness: [] });
  app.get('/things', async () => ({ ok: true }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  port = Number(new URL(url).port);
});
afterAll(() => app.close());

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends bytes as they are (no client-side validation) and reads the first response. */
function raw(bytes: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      const split = data.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no HTTP response: ${JSON.stringify(data)}`));
      const [statusLine = '', ...lines] = data.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      let body = data.slice(split + 4);
      if (headers['transfer-encoding'] === 'chunked') body = unchunk(body);
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body });
    });
  });
}

function unchunk(body: string): string {
  let out = '';
  for (let rest = body; ; ) {
    const eol = rest.indexOf('\r\n');
    const size = Number.parseInt(rest.slice(0, eol), 16);
    if (!size) return out;
    out += rest.slice(eol + 2, eol + 2 + size);
    rest = rest.slice(eol + 2 + size + 2);
  }
}

function expectProblem(res: RawResponse, status: number, code: string): Record<string, unknown> {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: expect.stringMatching(/^urn:pdx:problem:[a-z-]+$/) });
  expect(body.detail).toEqual(expect.any(String));
  expect(Number(res.headers['content-length'] ?? res.body.length)).toBe(Buffer.byteLength(res.body));
  return body;
}

describe('errors raised before routing are problem+json', () => {
  it('431 for headers over the limit, saying how large they may be', async () => {
    const res = await raw(`GET /things HTTP/1.1\r\nHost: a\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const body = expectProblem(res, 431, 'PDX_HEADERS_TOO_LARGE');
    expect(body.detail).toContain('16384 bytes');
  });

  it('431 for a request line over the limit too (Node counts it with the headers)', async () => {
    const res = await raw(`GET /things?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: a\r\n\r\n`);
    expectProblem(res, 431, 'PDX_HEADERS_TOO_LARGE');
  });

  it.each([
    ['a bad method token', 'G@T /things HTTP/1.1\r\nHost: a\r\n\r\n', /method/i],
    ['an unknown HTTP version', 'GET /things HTTP/9.9\r\nHost: a\r\n\r\n', /version/i],
    ['a space in a header name', 'GET /things HTTP/1.1\r\nHost: a\r\nBad Header: x\r\n\r\n', /header/i],
    ['a NUL in the URL', 'GET /things\0 HTTP/1.1\r\nHost: a\r\n\r\n', /url/i],
    [
      'both Content-Length and Transfer-Encoding (request smuggling)',
      'POST /things HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      /content-length/i,
    ],
    [
      'a bad chunk size',
      'POST /things HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      /chunk/i,
    ],
    [
      'a non-numeric Content-Length',
      'POST /things HTTP/1.1\r\nHost: a\r\nContent-Length: abc\r\n\r\n{}',
      /content-length/i,
    ],
    ['an HTTP/2 preface on HTTP/1.1', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', /HTTP\/2/],
  ])('400 for %s, with the parser reason', async (_what, bytes, reason) => {
    const body = expectProblem(await raw(bytes), 400, 'PDX_HTTP_MALFORMED');
    expect(body.detail).toMatch(reason);
  });

  it('400 for an HTTP/1.1 request without Host (RFC 9112 §3.2)', async () => {
    const body = expectProblem(await raw('GET /things HTTP/1.1\r\n\r\n'), 400, 'PDX_HTTP_MALFORMED');
    expect(body.detail).toContain('Host');
    // HTTP/1.0 has no Host requirement.
    expect((await raw('GET /things HTTP/1.0\r\n\r\n')).status).toBe(200);
  });

  it('417 for an expectation other than 100-continue', async () => {
    const res = await raw('GET /things HTTP/1.1\r\nHost: a\r\nExpect: teapot\r\n\r\n');
    const body = expectProblem(res, 417, 'PDX_EXPECTATION_FAILED');
    expect(body.detail).toContain('teapot');
  });

  it('404 for CONNECT: the exchange is not a proxy', async () => {
    const res = await raw('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expectProblem(res, 404, 'PDX_ROUTE_NOT_FOUND');
  });

  it('keeps serving well-formed requests on other connections, and 100-continue still works', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/things`, { headers: { 'x-small': 'a' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    const cont = await raw('GET /things HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n');
    expect(cont.status).toBe(100);
  });

  it('answers a 431 to fetch (undici) as a problem it can parse', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/things`, { headers: { 'x-big': 'b'.repeat(20_000) } });
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ code: 'PDX_HEADERS_TOO_LARGE', status: 431 });
  });
});

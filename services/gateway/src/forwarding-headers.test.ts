import { describe, expect, it } from 'vitest';
import { endToEndHeaders, upstreamRequestHeaders } from './forwarding-headers.js';

describe('endToEndHeaders', () => {
  it('drops every hop-by-hop header of RFC 9110 §7.6.1 and those Connection names', () => {
    const kept = endToEndHeaders({
      connection: 'keep-alive, X-Hop, x-other',
      'keep-alive': 'timeout=5',
      'proxy-connection': 'keep-alive',
      te: 'trailers',
      trailer: 'x-checksum',
      'transfer-encoding': 'chunked',
      upgrade: 'websocket',
      'proxy-authorization': 'Basic Zm9vOmJhcg==',
      'proxy-authenticate': 'Basic',
      'x-hop': 'named by Connection',
      'x-other': 'also',
      authorization: 'Bearer abc',
      'content-type': 'application/jose',
      'last-event-id': '17:x',
    });
    expect(kept).toEqual({
      authorization: 'Bearer abc',
      'content-type': 'application/jose',
      'last-event-id': '17:x',
    });
  });

  it('keeps response headers that are end to end, several values included', () => {
    expect(
      endToEndHeaders({
        'set-cookie': ['a=1', 'b=2'],
        'content-length': '12',
        connection: 'close',
        etag: '"3"',
      }),
    ).toEqual({ 'set-cookie': ['a=1', 'b=2'], 'content-length': '12', etag: '"3"' });
  });
});

describe('upstreamRequestHeaders', () => {
  const hop = { remoteAddress: '192.0.2.7', protocol: 'https', host: 'exchange.example' };

  it('adds X-Forwarded-For, -Proto and -Host and leaves Authorization alone', () => {
    expect(
      upstreamRequestHeaders({ host: 'intake:8080', authorization: 'Bearer t', connection: 'close' }, hop),
    ).toEqual({
      host: 'intake:8080',
      authorization: 'Bearer t',
      'x-forwarded-for': '192.0.2.7',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'exchange.example',
    });
  });

  it('appends the client to the X-Forwarded-For chain it came with, and replaces Proto and Host', () => {
    const out = upstreamRequestHeaders(
      {
        'x-forwarded-for': '198.51.100.1',
        'x-forwarded-proto': 'gopher',
        'x-forwarded-host': 'evil.example',
      },
      hop,
    );
    expect(out['x-forwarded-for']).toBe('198.51.100.1, 192.0.2.7');
    expect(out['x-forwarded-proto']).toBe('https');
    expect(out['x-forwarded-host']).toBe('exchange.example');
  });

  it('forwards no X-Forwarded-Host the client made up when it sent no Host', () => {
    const out = upstreamRequestHeaders({ 'x-forwarded-host': 'evil.example' }, { ...hop, host: undefined });
    expect(out['x-forwarded-host']).toBeUndefined();
  });
});

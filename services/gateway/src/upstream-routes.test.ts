import { describe, expect, it } from 'vitest';
import { proxiedPrefixes, upstreamOf } from './upstream-routes.js';

describe('upstreamOf', () => {
  it.each([
    ['POST', '/v1/parties', 'intake'],
    ['GET', '/v1/parties/acme', 'directory'],
    ['HEAD', '/v1/parties/acme', 'directory'],
    ['POST', '/v1/parties/acme/keys/k1/revocation', 'intake'],
    ['POST', '/v1/declarations', 'intake'],
    ['GET', '/v1/declarations/acme/dos-1', 'directory'],
    ['GET', '/v1/certificates', 'directory'],
    ['POST', '/v1/certificates/attestations', 'intake'],
    ['GET', '/v1/certificate-status', 'directory'],
    ['GET', '/v1/recognition-policies/globex', 'intake'],
    ['GET', '/v1/schemes', 'intake'],
    ['PUT', '/v1/recognition-policies/globex', 'intake'],
    ['POST', '/v1/reviews', 'intake'],
    ['GET', '/v1/alerts', 'alerts'],
    ['GET', '/v1/alerts/stream', 'alerts'],
    ['POST', '/v1/alerts/a1/acknowledgement', 'alerts'],
    ['DELETE', '/v1/alert-subscriptions/s1', 'alerts'],
    ['POST', '/v1/alert-deliveries/d1/retry', 'alerts'],
    ['GET', '/v1/partner-status/lookup', 'review'],
    ['GET', '/v1/statement-of-application', 'review'],
    ['GET', '/v1/review-tasks', 'review'],
    ['GET', '/v1/ledger/heads/latest', 'ledger'],
    ['GET', '/v1/ledger', 'ledger'],
    ['POST', '/oauth/token', 'intake'],
    ['GET', '/.well-known/oauth-authorization-server', 'intake'],
    ['GET', '/docs', 'intake'],
  ])('%s %s goes to %s', (method, path, service) => {
    expect(upstreamOf(method, path)).toBe(service);
  });

  it('matches whole path segments, not prefixes of a segment', () => {
    // /v1/alertsx is no alerts path: it is a read like any other /v1 read, for status.
    expect(upstreamOf('GET', '/v1/alertsx')).toBe('directory');
    expect(upstreamOf('GET', '/v1/ledgers')).toBe('directory');
    expect(upstreamOf('POST', '/oauthx')).toBeUndefined();
  });

  it('sends nothing outside /v1 and the OAuth and docs paths', () => {
    for (const path of ['/', '/healthz', '/metrics', '/v2/parties', '/v1x', '/.well-known/jwks.json']) {
      expect(upstreamOf('GET', path), path).toBeUndefined();
    }
  });

  it('registers a wildcard for every prefix it routes', () => {
    expect([...proxiedPrefixes].sort()).toEqual(
      ['/.well-known/oauth-authorization-server', '/docs', '/oauth', '/v1'].sort(),
    );
  });
});

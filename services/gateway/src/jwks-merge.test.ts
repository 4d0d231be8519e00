import type { PublicJwk } from '@pdx/contracts';
import { SchemaRegistry } from '@pdx/contracts';
import { silentLogger } from '@pdx/runtime';
import { describe, expect, it } from 'vitest';
import { type JwksFetchResult, MergedJwks, mergeJwks, parseJwks } from './jwks-merge.js';

// RFC 8037 appendix A.2 (public half) under several kids.
const okp = (kid: string, x = '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'): PublicJwk =>
  ({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig', kid, x }) as PublicJwk;

describe('mergeJwks', () => {
  it('keeps each kid once, in the order of the sources', () => {
    const exchange = okp('exchange-1');
    const { keys, conflicts } = mergeJwks([
      { name: 'alerts', keys: [exchange, okp('webhook-1')] },
      { name: 'review', keys: [{ ...exchange }] },
      { name: 'ledger', keys: [okp('ledger-1')] },
    ]);
    expect(keys.map((k) => k.kid)).toEqual(['exchange-1', 'webhook-1', 'ledger-1']);
    expect(conflicts).toEqual([]);
  });

  it('reports two different keys under one kid and keeps the first', () => {
    const { keys, conflicts } = mergeJwks([
      { name: 'alerts', keys: [okp('k')] },
      { name: 'review', keys: [okp('k', 'A'.repeat(43))] },
    ]);
    expect(keys).toEqual([okp('k')]);
    expect(conflicts).toEqual(["kid k: review publishes another key than alerts; alerts's is kept"]);
  });
});

describe('parseJwks', () => {
  const registry = new SchemaRegistry();
  it('accepts a pdx JWKS', () => {
    expect(parseJwks({ keys: [okp('a')] }, registry)).toEqual([okp('a')]);
  });
  it('never republishes a private key member', () => {
    expect(() => parseJwks({ keys: [{ ...okp('a'), d: 'secret' }] }, registry)).toThrow(
      'key 0 carries the private member "d"',
    );
    expect(() => parseJwks({ keys: [{ kty: 'oct', kid: 's', k: 'c2VjcmV0' }] }, registry)).toThrow(
      'private member "k"',
    );
  });
  it('refuses what is not a JWKS', () => {
    expect(() => parseJwks({ keys: 'x' }, registry)).toThrow(/^not a JWKS: \/keys/);
    expect(() => parseJwks('<html>', registry)).toThrow(/^not a JWKS/);
  });
});

describe('MergedJwks', () => {
  const sources = ['intake', 'alerts', 'ledger'].map((name) => ({ name, url: `http://${name}/jwks` }));
  /** A fetcher whose answers the test sets per URL: keys, 'none' (404) or down. */
  const fetcher = (answers: Map<string, JwksFetchResult | 'down'>) => async (url: string) => {
    const answer = answers.get(url);
    if (answer === undefined || answer === 'down') throw new Error('ECONNREFUSED');
    return answer;
  };

  it('knows nothing before the first refresh, then merges what each service published', async () => {
    const answers = new Map<string, JwksFetchResult | 'down'>([
      ['http://intake/jwks', 'none'],
      ['http://alerts/jwks', { keys: [okp('exchange-1')] }],
      ['http://ledger/jwks', 'down'],
    ]);
    const jwks = new MergedJwks(sources, fetcher(answers), silentLogger());
    expect(jwks.keys()).toBeUndefined();
    await jwks.refresh();
    expect(jwks.keys()?.map((k) => k.kid)).toEqual(['exchange-1']);
    expect(jwks.missing()).toEqual(['ledger']);

    answers.set('http://ledger/jwks', { keys: [okp('ledger-1')] });
    await jwks.refresh();
    expect(jwks.keys()?.map((k) => k.kid)).toEqual(['exchange-1', 'ledger-1']);
    expect(jwks.missing()).toEqual([]);
  });

  it('serves what a service published before while it is down, and drops a key it no longer publishes', async () => {
    const answers = new Map<string, JwksFetchResult | 'down'>([
      ['http://intake/jwks', { keys: [okp('exchange-1')] }],
      ['http://alerts/jwks', { keys: [okp('exchange-1'), okp('webhook-1')] }],
      ['http://ledger/jwks', { keys: [okp('ledger-1')] }],
    ]);
    const jwks = new MergedJwks(sources, fetcher(answers), silentLogger());
    await jwks.refresh();
    answers.set('http://ledger/jwks', 'down');
    answers.set('http://alerts/jwks', { keys: [okp('exchange-1')] });
    await jwks.refresh();
    expect(jwks.keys()?.map((k) => k.kid)).toEqual(['exchange-1', 'ledger-1']);
  });

  it('joins a refresh already running instead of asking every service twice', async () => {
    let calls = 0;
    const jwks = new MergedJwks(
      sources,
      async () => {
        calls++;
        return 'none';
      },
      silentLogger(),
    );
    await Promise.all([jwks.refresh(), jwks.refresh()]);
    expect(calls).toBe(3);
    expect(jwks.keys()).toEqual([]);
  });
});

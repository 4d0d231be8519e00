import type { PrivateJwk } from '@pdx/crypto';
import { mintAuthToken } from '@pdx/crypto';
import type { Host } from '@pdx/host';
import type { Clock } from '@pdx/runtime';
import { expect } from 'vitest';

type Method = 'GET' | 'POST' | 'PUT';

/**
 * Calls a host's API as a party: a fresh bearer token per call (signed with the party's key,
 * at the test's clock), JSON bodies, or `application/jose` for a compact JWS string.
 */
export function apiClient(clock: Clock, keyOf: (who: string) => PrivateJwk) {
  const call = async (on: Host, method: Method, url: string, who: string, body?: unknown) => {
    const token = await mintAuthToken({
      privateJwk: keyOf(who),
      issuer: who,
      audience: 'pdx',
      now: clock.now(),
    });
    return on.http.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined
          ? {}
          : { 'content-type': typeof body === 'string' ? 'application/jose' : 'application/json' }),
      },
      ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  };
  /** The same, expecting success; the JSON answer. */
  const ok = async (on: Host, method: Method, url: string, who: string, body?: unknown) => {
    const res = await call(on, method, url, who, body);
    expect(res.statusCode, `${method} ${url} by ${who}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };
  return { call, ok };
}

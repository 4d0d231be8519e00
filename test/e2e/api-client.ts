import type { PublicJwk } from '@pdx/contracts';
import { generateSigningKey, mintAuthToken, type PrivateJwk } from '@pdx/crypto';
import { createHost, type Host, type ServiceDefinition } from '@pdx/host';
import { type Clock, silentLogger } from '@pdx/runtime';
import { expect } from 'vitest';
import type { SliceTarget } from './targets.js';

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

/**
 * The environment the end-to-end hosts share: the target's log and store, any free port,
 * a fresh exchange key (returned, to check signatures with), `ops` as the operator, and the
 * review clock ticking every 100 ms; `extra` on top.
 */
export async function hostEnv(target: SliceTarget, opsKey: PublicJwk, extra: Record<string, string> = {}) {
  const exchange = await generateSigningKey('EdDSA', 'exchange-test');
  const env: Record<string, string> = {
    ...target.env,
    PORT: '0',
    PDX_EXCHANGE_KEY: JSON.stringify(exchange.privateJwk),
    PDX_REVIEW_INTERVAL_MS: '100',
    PDX_OPERATORS: JSON.stringify([{ id: 'ops', jwks: { keys: [opsKey] } }]),
    ...extra,
  };
  return { env, exchange };
}

/** A started host of these services on the test's clock, logging nothing, with its URL. */
export async function startHost(
  name: string,
  services: ServiceDefinition[],
  env: Record<string, string>,
  clock: Clock,
): Promise<Host & { url: string }> {
  const host = await createHost({ name, services, env, clock, logger: silentLogger() });
  return Object.assign(host, await host.start());
}

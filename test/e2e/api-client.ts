import type { PublicJwk } from '@pdx/contracts';
import { generateSigningKey, type PrivateJwk } from '@pdx/crypto';
import { createHost, type Host, type ServiceDefinition } from '@pdx/host';
import { type Clock, silentLogger } from '@pdx/runtime';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { accessTokens, viaHost } from './access-tokens.js';
import type { SliceTarget } from './targets.js';

type Method = 'GET' | 'POST' | 'PUT';

/** The intake hosts started here, newest last: they serve the token endpoint. */
const intakeHosts: Host[] = [];
const servesTokens = (host: Host) => host.services.some((s) => s.name === 'intake');

/**
 * Calls a host's API as a party: with its access token from the token endpoint (a client
 * assertion signed with the party's key at the test's clock; kept while it lasts), JSON
 * bodies, or `application/jose` for a compact JWS string. The token endpoint is `tokenHost`'s,
 * else the called host's if it runs intake, else the intake host started last.
 */
export function apiClient(clock: Clock, keyOf: (who: string) => PrivateJwk, tokenHost?: () => Host) {
  let current: Host | undefined;
  const tokens = accessTokens({
    now: () => clock.now(),
    keyOf,
    transport: viaHost(() => {
      const host = tokenHost?.() ?? (current && servesTokens(current) ? current : intakeHosts.at(-1));
      if (!host) throw new Error('no intake host started: nowhere to get an access token');
      return host;
    }),
  });
  const call = async (
    on: Host,
    method: Method,
    url: string,
    who: string,
    body?: unknown,
  ): Promise<LightMyRequestResponse> => {
    current = on;
    const token = await tokens.tokenFor(who);
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
  return { call, ok, tokens };
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
    // One issuer for the hosts of a test, as behind the gateway: each accepts the others' tokens.
    PDX_PUBLIC_URL: 'http://pdx.test',
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
  const started = Object.assign(host, await host.start());
  if (servesTokens(host)) {
    intakeHosts.push(host);
    const stop = host.stop;
    host.stop = async () => {
      intakeHosts.splice(intakeHosts.indexOf(host), 1);
      await stop();
    };
  }
  return started;
}

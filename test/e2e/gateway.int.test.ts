import { eventually } from '@pdx/bus/testing';
import type { PublicJwk } from '@pdx/contracts';
import { ATTESTATION_TYP, generateSigningKey, type PrivateJwk, signCompact } from '@pdx/crypto';
import type { Host } from '@pdx/host';
import { systemClock } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePorts } from '../infra/managed-process.js';
import { obtainToken, viaUrl } from './access-tokens.js';
import { apiClient } from './api-client.js';
import { type RunningService, spawnService } from './spawn-service.js';
import { kafkaMongoTarget, type SliceTarget } from './targets.js';

// Production shape: every service in its own process on Kafka and FerretDB, and the
// end-to-end API client talking only to the gateway in front of them.

const DAY = 86_400_000;
type Who = 'ops' | 'acme' | 'globex' | 'tuv';
const services = ['intake', 'directory', 'alerts', 'review', 'ledger'] as const;

/** The API client's host, reached over HTTP at `base` instead of in-process. */
function overHttp(base: string): Host {
  const inject = async (request: {
    method: string;
    url: string;
    headers?: Record<string, string>;
    payload?: string;
  }) => {
    const res = await fetch(`${base}${request.url}`, {
      method: request.method,
      headers: request.headers ?? {},
      ...(request.payload === undefined ? {} : { body: request.payload }),
    });
    const body = await res.text();
    return {
      statusCode: res.status,
      headers: Object.fromEntries(res.headers),
      body,
      json: () => JSON.parse(body),
    };
  };
  // The client uses only http.inject: the same calls, over the network.
  return { http: { inject } } as unknown as Host;
}

describe('the API through the gateway, each service in its own process (Kafka and MongoDB)', () => {
  let target: SliceTarget;
  const running = new Map<string, RunningService>();
  const keys = new Map<Who, { privateJwk: PrivateJwk; publicJwk: PublicJwk }>();
  let exchangeKid: string;
  let ledgerKid: string;
  let base: string;
  let gateway: Host;
  // Access tokens come through the gateway too: its token endpoint is intake's.
  const { call, ok } = apiClient(
    systemClock,
    (who) => keys.get(who as Who)!.privateJwk,
    () => gateway,
  );

  beforeAll(async () => {
    target = await kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), [...services]);
    for (const who of ['ops', 'acme', 'globex', 'tuv'] as Who[]) {
      keys.set(who, await generateSigningKey('EdDSA', `${who}-1`));
    }
    const exchange = await generateSigningKey('EdDSA', 'exchange-gw');
    const ledger = await generateSigningKey('EdDSA', 'ledger-gw');
    exchangeKid = exchange.publicJwk.kid;
    ledgerKid = ledger.publicJwk.kid;
    // Every service names the gateway's URL as the issuer of access tokens: the URL clients use.
    const [gatewayPort] = (await freePorts(1)) as [number];
    const env: Record<string, string> = {
      PDX_PUBLIC_URL: `http://127.0.0.1:${gatewayPort}`,
      ...(target.env as Record<string, string>),
      PDX_OPERATORS: JSON.stringify([{ id: 'ops', jwks: { keys: [keys.get('ops')!.publicJwk] } }]),
      PDX_EXCHANGE_KEY: JSON.stringify(exchange.privateJwk),
      PDX_LEDGER_KEY: JSON.stringify(ledger.privateJwk),
      PDX_ALERT_STREAM_POLL_MS: '200',
      LOG_LEVEL: 'warn',
    };
    const started = await Promise.all(
      services.map(
        async (s) =>
          [s, await spawnService(`services/${s}/dist/main.js`, { ...env, LOG_LEVEL: 'info' })] as const,
      ),
    );
    const urls: Record<string, string> = {};
    for (const [s, service] of started) {
      running.set(s, service);
      urls[`PDX_${s.toUpperCase()}_URL`] = service.url;
    }
    const gw = await spawnService('services/gateway/dist/main.js', {
      ...urls,
      PORT: String(gatewayPort),
      LOG_LEVEL: 'info',
      PDX_GATEWAY_JWKS_REFRESH_MS: '1000',
    });
    running.set('gateway', gw);
    base = gw.url;
    gateway = overHttp(base);
    await eventually(async () => {
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status, await ready.text()).toBe(200);
    }, 90_000);
  });
  afterAll(async () => {
    for (const service of running.values()) {
      service.child.kill('SIGTERM');
      await service.exited;
    }
    await target?.cleanup?.();
  });

  it('registers parties and links them through intake, reads them from status, refuses bad input as the service does', async () => {
    const register = (partyId: Who, roles: string[], extra = {}) =>
      ok(gateway, 'POST', '/v1/parties', 'ops', {
        partyId,
        legalName: partyId,
        country: 'DE',
        roles,
        jwks: { keys: [keys.get(partyId)!.publicJwk] },
        ...extra,
      });
    await register('acme', ['partner']);
    await register('globex', ['buyer']);
    await register('tuv', ['issuer'], { issuerOf: ['iso-28000'] });
    const party = await eventually(async () => {
      const res = await call(gateway, 'GET', '/v1/parties/acme', 'ops');
      expect(res.statusCode).toBe(200);
      return res.json();
    });
    expect(party).toMatchObject({ partyId: 'acme', roles: ['partner'] });
    await ok(gateway, 'POST', '/v1/relationships', 'globex', {
      partnerId: 'acme',
      scopeOfService: { functions: ['warehouse'] },
    });
    await ok(gateway, 'POST', '/v1/relationships/globex~acme/acceptance', 'acme', {});

    const bad = await call(gateway, 'POST', '/v1/parties', 'ops', { partyId: 'x', country: 'DE' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json()).toMatchObject({ code: 'PDX_REQUEST_INVALID' });
    const anonymous = await fetch(`${base}/v1/parties/acme`);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { code: string }).code).toBe('PDX_AUTH_REQUIRED');
  });

  it('streams an alert through the gateway while the stream stays open, and forwards Last-Event-ID', async () => {
    // The alerts service learns globex's keys from the log.
    await eventually(async () =>
      expect((await call(gateway, 'GET', '/v1/alerts', 'globex')).statusCode).toBe(200),
    );
    const token = () =>
      obtainToken(
        viaUrl(() => base),
        'globex',
        keys.get('globex')!.privateJwk,
      );
    const refused = await fetch(`${base}/v1/alerts/stream`, {
      headers: { authorization: `Bearer ${await token()}`, 'last-event-id': 'not-an-id' },
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()) as object).toMatchObject({
      code: 'PDX_REQUEST_INVALID',
      pointer: '/headers/last-event-id',
    });

    const abort = new AbortController();
    const res = await fetch(`${base}/v1/alerts/stream`, {
      headers: { authorization: `Bearer ${await token()}` },
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const attestation = await signCompact(
      JSON.stringify({
        schemeId: 'iso-28000',
        number: 'ISO-GW',
        holder: 'acme',
        issuer: 'tuv',
        scope: { functions: ['warehouse'] },
        validFrom: new Date(Date.now() - 300 * DAY).toISOString(),
        validUntil: new Date(Date.now() + 200 * DAY).toISOString(),
        issuedAt: new Date(Date.now() - 1000).toISOString(),
      }),
      keys.get('tuv')!.privateJwk,
      ATTESTATION_TYP,
    );
    const cert = await ok(gateway, 'POST', '/v1/certificates/attestations', 'tuv', attestation);
    await ok(gateway, 'POST', `/v1/certificates/${cert.certificate.certificateId}/suspension`, 'tuv', {
      reason: 'gateway stream test',
    });
    let text = '';
    let ended = false;
    while (!text.includes('"number":"ISO-GW"')) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      text += new TextDecoder().decode(value);
    }
    // The event came through while the stream went on: nothing was held back until its end.
    expect(ended).toBe(false);
    abort.abort();
    const event = text.split('\n\n').find((block) => block.includes('"number":"ISO-GW"'))!;
    expect(event).toMatch(/^id: \d+:[0-9a-f-]{36}$/m);
    expect(JSON.parse(event.split('data: ')[1]!)).toMatchObject({ kind: 'suspended', buyerId: 'globex' });
  });

  it('serves one JWKS with every key the services sign with, each once', async () => {
    const jwks = await eventually(async () => {
      const body = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: PublicJwk[] };
      expect(body.keys.map((k) => k.kid)).toContain(ledgerKid);
      return body;
    });
    const kids = jwks.keys.map((k) => k.kid);
    expect(kids.filter((k) => k === exchangeKid)).toHaveLength(1);
    expect(new Set(kids).size).toBe(kids.length);
    expect(jwks.keys.some((k) => 'd' in k)).toBe(false);
  });

  it('answers a stopped service’s paths with a 502 problem and keeps serving its keys', async () => {
    expect((await fetch(`${base}/v1/ledger/heads/latest`)).status).not.toBe(502);
    const ledger = running.get('ledger')!;
    ledger.child.kill('SIGTERM');
    await ledger.exited;
    running.delete('ledger');
    const res = await fetch(`${base}/v1/ledger/heads/latest`);
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect((await res.json()) as object).toMatchObject({
      type: 'urn:pdx:problem:upstream-unavailable',
      code: 'PDX_UPSTREAM_UNAVAILABLE',
    });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: object }).checks).toMatchObject({
      intake: 'ok',
      directory: 'ok',
      ledger: 'cannot be reached (ECONNREFUSED)',
    });
    // Once a refresh found the ledger down, its key is still published.
    await eventually(() =>
      expect(running.get('gateway')!.output()).toContain(
        'JWKS refresh failed; serving the keys it published before',
      ),
    );
    const jwks = (await (await fetch(`${base}/.well-known/jwks.json`)).json()) as { keys: PublicJwk[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(ledgerKid);
  });
});

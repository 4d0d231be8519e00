import { alertsService, verifyWebhookBody } from '@pdx/alerts';
import { eventually } from '@pdx/bus/testing';
import { certificatesService } from '@pdx/certificates';
import type { PublicJwk } from '@pdx/contracts';
import { ATTESTATION_TYP, generateSigningKey, type PrivateJwk, signCompact } from '@pdx/crypto';
import { createHost, type Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { ManualClock, silentLogger } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokens, viaHost } from './access-tokens.js';
import type { SliceTarget } from './targets.js';
import { startReceiver, verifyStandardWebhook } from './webhook-receiver.js';

const DAY = 86_400_000;
type Who = 'ops' | 'acme' | 'globex' | 'umbrella' | 'hooli' | 'tuv';

/**
 * Alerts end to end on a controlled clock: the lapse scheduler (`replicas` of it), the
 * alerts service and real webhook receivers that verify every signature.
 */
export function alertsSuite(name: string, replicas: number, makeTarget: () => Promise<SliceTarget>): void {
  describe(`alerts: ${name}, ${replicas} scheduler replica(s)`, () => {
    const clock = new ManualClock('2027-01-01T00:00:00Z');
    const t0 = clock.now();
    let target: SliceTarget;
    let intake: Host;
    let alerts: Host;
    let schedulers: Host[] = [];
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    let exchangeJwk: PublicJwk;
    let jwks: PublicJwk[];
    const keys = new Map<Who, { privateJwk: PrivateJwk; publicJwk: PublicJwk }>();
    let exchangeKey: PrivateJwk;
    /** The Standard Webhooks key each buyer's subscription answer named (whpk_…). */
    const whpk = new Map<Who, string>();
    let hooliDown = true;

    let webhookKey: PrivateJwk;
    const env = () => ({
      ...target.env,
      PORT: '0',
      PDX_SCHEDULER_INTERVAL_MS: '100',
      PDX_WEBHOOK_INTERVAL_MS: '100',
      // Four attempts, in milliseconds rather than days.
      PDX_WEBHOOK_RETRY_SCHEDULE: '50ms,100ms,200ms',
      // The exchange key is ES256, so v1a signatures need an Ed25519 key of their own: given
      // in production, created in the data directory when embedded.
      ...(target.env.MONGODB_URI ? { PDX_WEBHOOK_KEY: JSON.stringify(webhookKey) } : {}),
      PDX_ALERT_BATCH_WINDOW_MS: '1500',
      PDX_WEBHOOK_ALLOW_PRIVATE: 'true',
      PDX_EXCHANGE_KEY: JSON.stringify(exchangeKey),
      PDX_OPERATORS: JSON.stringify([{ id: 'ops', jwks: { keys: [keys.get('ops')!.publicJwk] } }]),
    });
    const host = async (service: typeof intakeService, hostName: string) => {
      const h = await createHost({
        name: hostName,
        services: [service],
        env: env(),
        clock,
        logger: silentLogger(),
      });
      await h.start();
      return h;
    };
    const tokens = accessTokens({
      now: () => clock.now(),
      keyOf: (who) => keys.get(who as Who)!.privateJwk,
      transport: viaHost(() => intake),
    });
    const token = (who: Who) => tokens.authorization(who);
    const call = async (on: Host, method: 'GET' | 'POST' | 'PUT', url: string, who: Who, body?: unknown) => {
      const res = await on.http.inject({
        method,
        url,
        headers: {
          authorization: await token(who),
          ...(body === undefined
            ? {}
            : { 'content-type': typeof body === 'string' ? 'application/jose' : 'application/json' }),
        },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      return res;
    };
    const ok = async (...args: Parameters<typeof call>) => {
      const res = await call(...args);
      expect(res.statusCode, `${args[2]}: ${res.body}`).toBeLessThan(300);
      return res.statusCode === 204 ? undefined : res.json();
    };
    const attest = async (number: string, validUntil: number) =>
      ok(
        intake,
        'POST',
        '/v1/certificates/attestations',
        'tuv',
        await signCompact(
          JSON.stringify({
            schemeId: 'iso-28000',
            number,
            holder: 'acme',
            issuer: 'tuv',
            scope: { functions: ['warehouse'] },
            validFrom: new Date(t0 - 300 * DAY).toISOString(),
            validUntil: new Date(validUntil).toISOString(),
            issuedAt: new Date(clock.now() - 1000).toISOString(),
          }),
          keys.get('tuv')!.privateJwk,
          ATTESTATION_TYP,
        ),
      );
    /** Alerts each path received, flattened from digests: "<kind> <number>". */
    const at = (path: string) =>
      receiver.received
        .filter((r) => r.path === path)
        .flatMap((r) => (r.json.alerts ?? [r.json.alert!]).map((a) => `${a.kind} ${a.number}`))
        .sort();

    beforeAll(async () => {
      target = await makeTarget();
      for (const who of ['ops', 'acme', 'globex', 'umbrella', 'hooli', 'tuv'] as Who[]) {
        keys.set(who, await generateSigningKey('EdDSA', `${who}-1`));
      }
      exchangeKey = (await generateSigningKey('ES256', 'exchange-test')).privateJwk;
      webhookKey = (await generateSigningKey('EdDSA', 'webhook-test')).privateJwk;
      receiver = await startReceiver((path) =>
        path === '/umbrella' ? 2 : path === '/hooli' ? (hooliDown ? Number.POSITIVE_INFINITY : 0) : 0,
      );
      intake = await host(intakeService, 'pdx-intake');
      alerts = await host(alertsService, 'pdx-alerts');
      for (let i = 0; i < replicas; i++) schedulers.push(await host(certificatesService, 'pdx-certificates'));
      const register = (partyId: Who, roles: string[], extra = {}) =>
        ok(intake, 'POST', '/v1/parties', 'ops', {
          partyId,
          legalName: partyId,
          country: 'DE',
          roles,
          jwks: { keys: [keys.get(partyId)!.publicJwk] },
          ...extra,
        });
      await register('acme', ['partner']);
      for (const buyer of ['globex', 'umbrella', 'hooli'] as Who[]) await register(buyer, ['buyer']);
      await register('tuv', ['issuer'], { issuerOf: ['iso-28000'] });
      for (const buyer of ['globex', 'umbrella', 'hooli'] as Who[]) {
        await ok(intake, 'POST', '/v1/relationships', buyer, {
          partnerId: 'acme',
          scopeOfService: { functions: ['warehouse'] },
        });
        await ok(intake, 'POST', `/v1/relationships/${buyer}~acme/acceptance`, 'acme', {});
      }
      // Subscriptions need the buyers' keys in the alerts service: wait until it has them.
      for (const buyer of ['globex', 'umbrella', 'hooli'] as Who[]) {
        await eventually(async () => {
          const res = await call(alerts, 'POST', '/v1/alert-subscriptions', buyer, {
            url: receiver.url(`/${buyer}`),
            ...(buyer === 'hooli' ? { kinds: ['suspended'] } : {}),
          });
          expect(res.statusCode, res.body).toBe(201);
          whpk.set(buyer, res.json().webhookPublicKey);
        });
      }
      jwks = (await alerts.http.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json().keys;
      exchangeJwk = jwks.find((k) => k.kid === exchangeKey.kid)!;
    });
    afterAll(async () => {
      for (const h of schedulers) await h.stop();
      await alerts?.stop();
      await intake?.stop();
      await receiver?.close();
      await target?.cleanup?.();
    });

    it('refuses webhook targets that are not http(s) and lets only buyers subscribe', async () => {
      const res = await call(alerts, 'POST', '/v1/alert-subscriptions', 'globex', {
        url: 'file:///etc/passwd',
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'PDX_WEBHOOK_URL_INVALID', pointer: '/url' });
      const ops = await call(alerts, 'POST', '/v1/alert-subscriptions', 'ops', { url: receiver.url('/x') });
      expect(ops.json().code).toBe('PDX_FORBIDDEN');
      const partner = await call(alerts, 'POST', '/v1/alert-subscriptions', 'acme', {
        url: receiver.url('/x'),
      });
      expect(partner.statusCode).toBe(403);
      expect(partner.json().code).toBe('PDX_ROLE_REQUIRED');
    });

    it('names the Standard Webhooks key in the subscription and publishes it in the JWKS', async () => {
      const listed = await ok(alerts, 'GET', '/v1/alert-subscriptions', 'globex');
      const sub = listed.subscriptions[0];
      expect(sub.webhookPublicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
      expect(sub.webhookKeyId).not.toBe(exchangeKey.kid);
      const published = jwks.find((k) => k.kid === sub.webhookKeyId);
      expect(published).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
      expect(`whpk_${Buffer.from(published!.x, 'base64url').toString('base64')}`).toBe(sub.webhookPublicKey);
      expect(jwks.map((k) => k.kid).sort()).toEqual([exchangeKey.kid, sub.webhookKeyId].sort());
      expect(whpk.get('umbrella')).toBe(sub.webhookPublicKey);
      expect(jwks.some((k) => 'd' in k)).toBe(false);
    });

    it('alerts each threshold once per subscribed buyer, signed, then the expiry, across replicas and downtime', async () => {
      const until = t0 + 100 * DAY;
      await attest('ISO-A', until);
      for (const daysBefore of [90, 30, 7]) {
        clock.set(until - daysBefore * DAY);
        await eventually(
          () =>
            expect(at('/globex').filter((l) => l.endsWith('ISO-A'))).toHaveLength(
              [90, 30, 7].indexOf(daysBefore) + 1,
            ),
          30_000,
        );
      }
      // The scheduler is down across the expiry, and comes back.
      for (const h of schedulers) await h.stop();
      schedulers = [];
      clock.set(until + 2 * DAY);
      for (let i = 0; i < replicas; i++) schedulers.push(await host(certificatesService, 'pdx-certificates'));
      await eventually(() => expect(at('/globex')).toContain('expired ISO-A'), 30_000);
      // umbrella's receiver failed twice per delivery and got them on retry.
      await eventually(() => expect(at('/umbrella')).toEqual(at('/globex')), 30_000);
      await new Promise((r) => setTimeout(r, 800));
      expect(at('/globex')).toEqual(['expired ISO-A', 'expiring ISO-A', 'expiring ISO-A', 'expiring ISO-A']);
      expect(at('/umbrella')).toEqual(at('/globex'));
      expect(receiver.received.filter((r) => r.path === '/umbrella').every((r) => r.attempt === 3)).toBe(
        true,
      );
      // Every delivery is signed by the exchange and has its own idempotency key.
      for (const r of receiver.received)
        expect(await verifyWebhookBody(r.body, r.signature, exchangeJwk)).toBe(true);
      expect(
        await verifyWebhookBody(
          `${receiver.received[0]!.body} `,
          receiver.received[0]!.signature,
          exchangeJwk,
        ),
      ).toBe(false);
      const keysSeen = receiver.received.map((r) => r.idempotencyKey);
      expect(new Set(keysSeen).size).toBe(keysSeen.length);
      // And with the Standard Webhooks headers, which a verifier written from the spec accepts,
      // each with its delivery's id as webhook-id (the same on every attempt).
      for (const r of receiver.received) {
        const key = whpk.get(r.path.slice(1) as Who)!;
        expect(r.webhook.id).toBe(r.idempotencyKey);
        expect(verifyStandardWebhook(r.body, r.webhook, key)).toBe('valid');
      }
      // A replay later than the receiver's tolerance, a changed body or id, another key: refused.
      const first = receiver.received[0]!;
      const key = whpk.get(first.path.slice(1) as Who)!;
      const sentAt = Number(first.webhook.timestamp);
      expect(verifyStandardWebhook(first.body, first.webhook, key, sentAt + 301)).toBe('timestamp too old');
      expect(verifyStandardWebhook(first.body, first.webhook, key, sentAt - 301)).toBe('timestamp too new');
      expect(verifyStandardWebhook(first.body, first.webhook, key, sentAt + 299)).toBe('valid');
      expect(verifyStandardWebhook(first.body.replace('ISO-A', 'ISO-B'), first.webhook, key, sentAt)).toBe(
        'no matching signature',
      );
      expect(verifyStandardWebhook(first.body, { ...first.webhook, id: 'other' }, key, sentAt)).toBe(
        'no matching signature',
      );
      const stranger = await generateSigningKey('EdDSA', 'stranger');
      const strangerKey = `whpk_${Buffer.from(stranger.publicJwk.x, 'base64url').toString('base64')}`;
      expect(verifyStandardWebhook(first.body, first.webhook, strangerKey, sentAt)).toBe(
        'no matching signature',
      );
    });

    it('delivers a suspension at once, and shows a delivery that never succeeds as dead', async () => {
      const cert = await attest('ISO-S', clock.now() + 200 * DAY);
      await ok(intake, 'POST', `/v1/certificates/${cert.certificate.certificateId}/suspension`, 'tuv', {
        reason: 'audit findings',
      });
      await eventually(() => expect(at('/globex')).toContain('suspended ISO-S'), 30_000);
      let deadId = '';
      await eventually(async () => {
        const dead = await ok(alerts, 'GET', '/v1/alert-deliveries?state=dead', 'hooli');
        expect(dead.deliveries).toHaveLength(1);
        expect(dead.deliveries[0]).toMatchObject({ state: 'dead', attempts: 4, lastStatus: 503 });
        deadId = dead.deliveries[0].deliveryId;
      }, 30_000);
      expect(at('/hooli')).toEqual([]);
      // The receiver is back; the buyer tries the dead delivery again, and it arrives.
      hooliDown = false;
      expect(await ok(alerts, 'POST', `/v1/alert-deliveries/${deadId}/retry`, 'hooli')).toMatchObject({
        state: 'pending',
        attempts: 0,
      });
      await eventually(() => expect(at('/hooli')).toEqual(['suspended ISO-S']), 30_000);
      // The inbox has every alert (the webhook filter is the webhook's); acknowledging is idempotent.
      type Listed = { alertId: string; kind: string; number: string };
      const unread = async () =>
        (await ok(alerts, 'GET', '/v1/alerts?acknowledged=false', 'hooli')).alerts as Listed[];
      const inbox = await unread();
      expect(inbox.map((a) => `${a.kind} ${a.number}`)).toContain('suspended ISO-S');
      expect(inbox.map((a) => a.kind)).toContain('expired');
      const id = inbox.find((a) => a.kind === 'suspended')!.alertId;
      expect((await ok(alerts, 'POST', `/v1/alerts/${id}/acknowledgement`, 'hooli')).acknowledged).toBe(true);
      expect((await ok(alerts, 'POST', `/v1/alerts/${id}/acknowledgement`, 'hooli')).acknowledged).toBe(true);
      expect((await unread()).map((a) => a.alertId)).not.toContain(id);
      expect((await unread()).length).toBe(inbox.length - 1);
      expect((await call(alerts, 'POST', `/v1/alerts/${id}/acknowledgement`, 'globex')).json().code).toBe(
        'PDX_ALERT_NOT_FOUND',
      );
    });

    it('streams new alerts to the console as Server-Sent Events', async () => {
      const address = alerts.http.server.address() as { port: number };
      const abort = new AbortController();
      const res = await fetch(`http://127.0.0.1:${address.port}/v1/alerts/stream`, {
        headers: { authorization: await token('globex') },
        signal: abort.signal,
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const reader = res.body!.getReader();
      const cert = await attest('ISO-T', clock.now() + 200 * DAY);
      await ok(intake, 'POST', `/v1/certificates/${cert.certificate.certificateId}/suspension`, 'tuv', {
        reason: 'stream test',
      });
      let text = '';
      while (!text.includes('"number":"ISO-T"')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      abort.abort();
      const event = text.split('\n\n').find((block) => block.includes('"number":"ISO-T"'))!;
      expect(event).toMatch(/^id: \d+:[0-9a-f-]{36}$/m);
      expect(event).toContain('event: alert');
      expect(JSON.parse(event.split('data: ')[1]!)).toMatchObject({
        kind: 'suspended',
        buyerId: 'globex',
        reason: 'stream test',
      });
    });

    it('groups many alerts falling due together for one buyer into one digest', async () => {
      const until = clock.now() + 120 * DAY;
      for (let i = 1; i <= 6; i++) await attest(`ISO-D${i}`, until);
      const before = receiver.received.filter((r) => r.path === '/globex').length;
      await new Promise((r) => setTimeout(r, 500));
      clock.set(until - 90 * DAY);
      await eventually(
        () => expect(at('/globex').filter((l) => l.startsWith('expiring ISO-D'))).toHaveLength(6),
        30_000,
      );
      const posts = receiver.received.filter((r) => r.path === '/globex').slice(before);
      const digests = posts.filter((r) => r.json.type === 'pdx.alert-digest');
      // One POST for the burst, not six (an alert still waiting for the same webhook joins it).
      const carrying = posts.filter((r) =>
        (r.json.alerts ?? [r.json.alert!]).some((a) => a.number.startsWith('ISO-D')),
      );
      expect(carrying).toHaveLength(1);
      expect(digests).toEqual(carrying);
      const numbers = digests[0]!.json.alerts!.map((a) => a.number).filter((n) => n.startsWith('ISO-D'));
      expect(numbers.sort()).toEqual(['ISO-D1', 'ISO-D2', 'ISO-D3', 'ISO-D4', 'ISO-D5', 'ISO-D6']);
    });
  });
}

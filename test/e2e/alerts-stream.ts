import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AlertDoc, alertDocs, alertsService, type LinkDoc, linkDocs } from '@pdx/alerts';
import { eventually } from '@pdx/bus/testing';
import { deterministicEventId, type PublicJwk } from '@pdx/contracts';
import { ATTESTATION_TYP, generateSigningKey, type PrivateJwk, signCompact } from '@pdx/crypto';
import type { Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { systemClock } from '@pdx/runtime';
import type { DocumentStore } from '@pdx/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, hostEnv, startHost } from './api-client.js';
import type { SliceTarget } from './targets.js';

const DAY = 86_400_000;
type Who = 'ops' | 'acme' | 'globex' | 'tuv';

/** One Server-Sent Event as a client sees it. */
interface Received {
  id: string;
  number: string;
  kind: string;
}

/**
 * A raw HTTP client of the alert stream that reads only when told: it lets the exchange's
 * socket fill up (the kernel buffers first, then the server's), the way a slow console on a
 * bad connection does.
 */
function slowStream(url: string, headers: Record<string, string>) {
  const events: Received[] = [];
  let text = '';
  let response: IncomingMessage | undefined;
  const req = httpRequest(url, { headers });
  const opened = new Promise<IncomingMessage>((resolve, reject) => {
    req.on('response', (res) => {
      res.pause();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        let end = text.indexOf('\n\n');
        while (end >= 0) {
          const block = text.slice(0, end);
          text = text.slice(end + 2);
          const id = /^id: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (id !== undefined && data !== undefined) {
            const alert = JSON.parse(data) as { number: string; kind: string };
            events.push({ id, number: alert.number, kind: alert.kind });
          }
          end = text.indexOf('\n\n');
        }
      });
      response = res;
      resolve(res);
    });
    req.on('error', reject);
  });
  req.end();
  return {
    opened,
    events,
    read: () => response?.resume(),
    close: () => req.destroy(),
  };
}

/**
 * The live stream resumed after thousands of alerts: every alert since Last-Event-ID, in order,
 * none twice, while the client reads slowly and new alerts keep coming. `count` alerts of
 * `padBytes` each are stored as the alerts service stores them, so that together they are more
 * than the kernel's socket buffers hold and the server has to wait for the client.
 */
export function alertStreamSuite(
  name: string,
  makeTarget: () => Promise<SliceTarget>,
  { count, padBytes }: { count: number; padBytes: number },
): void {
  describe(`alert stream: ${name}, ${count} alerts behind Last-Event-ID`, () => {
    let target: SliceTarget;
    let intake: Host & { url: string };
    let alerts: Host & { url: string };
    let alertStore: DocumentStore;
    const keys = new Map<Who, { privateJwk: PrivateJwk; publicJwk: PublicJwk }>();
    const { call, ok, tokens } = apiClient(systemClock, (who) => keys.get(who as Who)!.privateJwk);
    /** Stream writes the server made, and those it made while the socket asked it to wait. */
    const writes = { total: 0, refused: 0, whileFull: 0 };
    /** The backlog: alerts of the last hour, three per millisecond (ordered by id there). */
    const base = Date.now() - 3_600_000;
    const createdMsOf = (n: number) => base + Math.floor(n / 3);
    const backlogId = (n: number) => deterministicEventId('alert', `backlog-${n}`, 'globex');

    beforeAll(async () => {
      target = await makeTarget();
      for (const who of ['ops', 'acme', 'globex', 'tuv'] as Who[]) {
        keys.set(who, await generateSigningKey('EdDSA', `${who}-1`));
      }
      const { env } = await hostEnv(target, keys.get('ops')!.publicJwk, {
        PDX_ALERT_BATCH_WINDOW_MS: '0',
        PDX_ALERT_STREAM_POLL_MS: '200',
      });
      intake = await startHost('pdx-intake', [intakeService], env, systemClock);
      alerts = await startHost('pdx-alerts', [alertsService], env, systemClock);
      alerts.http.server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
        if (!req.url?.startsWith('/v1/alerts/stream')) return;
        const write = res.write.bind(res) as (chunk: string) => boolean;
        res.write = ((chunk: string) => {
          writes.total++;
          if (res.writableNeedDrain) writes.whileFull++;
          const accepted = write(chunk);
          if (!accepted) writes.refused++;
          return accepted;
        }) as ServerResponse['write'];
      });
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
      await register('globex', ['buyer']);
      await register('tuv', ['issuer'], { issuerOf: ['iso-28000'] });
      await ok(intake, 'POST', '/v1/relationships', 'globex', {
        partnerId: 'acme',
        scopeOfService: { functions: ['warehouse'] },
      });
      await ok(intake, 'POST', '/v1/relationships/globex~acme/acceptance', 'acme', {});
      await eventually(async () => {
        expect((await call(alerts, 'GET', '/v1/alerts', 'globex')).statusCode).toBe(200);
      });
      // The backlog, as the alerts service stores alerts, written in a shuffled order.
      alertStore = await target.openStore('alerts');
      // The alerts service has the accepted link before any certificate event: the topics are
      // consumed each on its own, and a suspension applied before the link reaches no buyer.
      const links = await alertStore.collection<LinkDoc>(linkDocs);
      await eventually(
        async () => expect(await links.find({ partnerId: 'acme', state: 'accepted' })).toHaveLength(1),
        30_000,
      );
      const collection = await alertStore.collection<AlertDoc>(alertDocs);
      const backlog = Array.from({ length: count }, (_, n) => n).sort(
        (a, b) => ((a * 7919) % count) - ((b * 7919) % count),
      );
      for (let i = 0; i < backlog.length; i += 250) {
        await Promise.all(
          backlog.slice(i, i + 250).map((n) => {
            const createdMs = createdMsOf(n);
            return collection.insert({
              id: backlogId(n),
              buyerId: 'globex',
              kind: 'expiring',
              certificateId: `iso-28000~B-${n}`,
              holder: 'acme',
              schemeId: 'iso-28000',
              number: `B-${String(n).padStart(5, '0')}`,
              occurredAt: new Date(createdMs).toISOString(),
              thresholdDays: 30,
              summary: `backlog alert ${n} ${'x'.repeat(padBytes)}`,
              sourceEventId: deterministicEventId('backlog', String(n)),
              createdAt: new Date(createdMs).toISOString(),
              createdMs,
              acknowledged: false,
            });
          }),
        );
      }
    });

    afterAll(async () => {
      await alerts?.stop();
      await intake?.stop();
      await alertStore?.close();
      await target?.cleanup?.();
    });

    it('sends every alert after Last-Event-ID, in order and once, waiting for the slow reader, then the new ones', async () => {
      // The client received the backlog up to B-00099 before it lost the connection.
      const stream = slowStream(`${alerts.url}/v1/alerts/stream`, {
        authorization: await authorization('globex'),
        'last-event-id': `${createdMsOf(99)}:${backlogId(99)}`,
      });
      try {
        const res = await stream.opened;
        expect(res.statusCode).toBe(200);
        // The client reads nothing: the socket fills and the server has to wait.
        await eventually(() => expect(writes.refused).toBeGreaterThan(0), 30_000);
        // New alerts come while the backlog is still waiting to be read.
        for (const number of ['LIVE-1', 'LIVE-2', 'LIVE-3']) {
          const cert = await attest(number);
          await ok(intake, 'POST', `/v1/certificates/${cert.certificate.certificateId}/suspension`, 'tuv', {
            reason: 'audit findings',
          });
        }
        await eventually(async () => {
          const inbox = (await ok(alerts, 'GET', '/v1/alerts?limit=10', 'globex')).alerts as {
            kind: string;
          }[];
          expect(inbox.filter((a) => a.kind === 'suspended')).toHaveLength(3);
        }, 30_000);
        stream.read();
        // The stream's order: (createdMs, alertId); B-00099 shares its millisecond with others.
        const position = (n: number) => [createdMsOf(n), backlogId(n)] as const;
        const before = (a: readonly [number, string], b: readonly [number, string]) =>
          a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
        const expected = [
          ...Array.from({ length: count }, (_, n) => n)
            .filter((n) => before(position(99), position(n)))
            .sort((a, b) => (before(position(a), position(b)) ? -1 : 1))
            .map((n) => `B-${String(n).padStart(5, '0')}`),
          'LIVE-1',
          'LIVE-2',
          'LIVE-3',
        ];
        expect(expected.length).toBeGreaterThan(count - 103);
        await eventually(() => expect(stream.events.length).toBeGreaterThanOrEqual(expected.length), 60_000);
        expect(stream.events.map((e) => e.number)).toEqual(expected);
        expect(new Set(stream.events.map((e) => e.id)).size).toBe(expected.length);
        expect(stream.events.slice(-3).map((e) => e.kind)).toEqual(['suspended', 'suspended', 'suspended']);
        // Backpressure: never a write while the socket said it was full.
        expect(writes.whileFull).toBe(0);
        // Resuming from the last id received gives nothing twice.
        const again = slowStream(`${alerts.url}/v1/alerts/stream`, {
          authorization: await authorization('globex'),
          'last-event-id': stream.events.at(-1)!.id,
        });
        try {
          expect((await again.opened).statusCode).toBe(200);
          again.read();
          const cert = await attest('LIVE-4');
          await ok(intake, 'POST', `/v1/certificates/${cert.certificate.certificateId}/suspension`, 'tuv', {
            reason: 'audit findings',
          });
          await eventually(() => expect(again.events.map((e) => e.number)).toEqual(['LIVE-4']), 30_000);
        } finally {
          again.close();
        }
      } finally {
        stream.close();
      }
    });

    it('refuses a Last-Event-ID it never sent: PDX_REQUEST_INVALID', async () => {
      const res = await alerts.http.inject({
        method: 'GET',
        url: '/v1/alerts/stream',
        headers: { authorization: await authorization('globex'), 'last-event-id': 'yesterday' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'PDX_REQUEST_INVALID', pointer: '/headers/last-event-id' });
    });

    const authorization = (who: Who) => tokens.authorization(who);
    const attest = async (number: string) =>
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
            validFrom: new Date(Date.now() - 300 * DAY).toISOString(),
            validUntil: new Date(Date.now() + 300 * DAY).toISOString(),
            issuedAt: new Date(Date.now() - 1000).toISOString(),
          }),
          keys.get('tuv')!.privateJwk,
          ATTESTATION_TYP,
        ),
      );
  });
}

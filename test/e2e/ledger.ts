import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@pdx/bus/testing';
import { run } from '@pdx/cli';
import { canonicalJson, type PdxEvent, type PublicJwk, topics } from '@pdx/contracts';
import { ATTESTATION_TYP, generateSigningKey, type PrivateJwk, signCompact } from '@pdx/crypto';
import type { Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { type EntryDoc, entryDocs, ledgerService, seqId } from '@pdx/ledger';
import { reviewService } from '@pdx/review';
import { ManualClock } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tlogVerify } from '../infra/index.js';
import { apiClient, hostEnv, startHost } from './api-client.js';
import type { SliceTarget } from './targets.js';

const DAY = 86_400_000;

/**
 * The exemption ledger end to end: exemptions the review service grants, revokes and moves
 * to another basis become entries exactly once; the CLI verifies inclusion and follows the
 * heads offline, as do the Go libraries transparency logs use; a direct edit of the
 * database is caught by the CLI and by the ledger's self-check.
 */
export function ledgerSuite(name: string, makeTarget: () => Promise<SliceTarget>): void {
  describe(`exemption ledger: ${name}`, () => {
    const clock = new ManualClock('2027-03-01T00:00:00Z');
    let target: SliceTarget;
    let intake: Host;
    let review: Host;
    let ledger: Host;
    let env: Record<string, string>;
    let ledgerUrl: string;
    const dir = mkdtempSync(join(tmpdir(), 'pdx-ledger-cli-'));
    const keys = new Map<string, { privateJwk: PrivateJwk; publicJwk: PublicJwk }>();
    const exemptions = new Map<string, PdxEvent>();
    const partners = ['p-one', 'p-two', 'p-three', 'p-four', 'p-five'];
    /** A partner whose authorisation is replaced while it stays exempt. */
    const renewing = 'p-renew';

    const api = apiClient(clock, (who) => keys.get(who)!.privateJwk);
    const call = (method: 'GET' | 'POST', url: string, who: string, body?: unknown) =>
      api.ok(intake, method, url, who, body ?? {});
    const get = async (path: string) => (await ledger.http.inject({ method: 'GET', url: path })).json();
    const cli = async (...args: string[]) => {
      let out = '';
      let err = '';
      const code = await run(args, {
        out: (t) => {
          out += t;
        },
        err: (t) => {
          err += t;
        },
        now: () => clock.now(),
        env: {},
      });
      return { code, out, err };
    };
    const attest = async (holder: string, n: number) => {
      const payload = {
        schemeId: 'eu-aeo-aeos',
        number: `DE AEOS ${4700 + n}/27`,
        holder,
        issuer: 'zoll',
        scope: { functions: ['warehouse'] },
        validFrom: new Date(clock.now() - 100 * DAY).toISOString(),
        issuedAt: new Date(clock.now() - 1000).toISOString(),
      };
      return call(
        'POST',
        '/v1/certificates/attestations',
        'zoll',
        await signCompact(JSON.stringify(payload), keys.get('zoll')!.privateJwk, ATTESTATION_TYP),
      );
    };
    /** The independent Go verifier (transparency-dev) on every entry, at the latest head. */
    const verifyWithGo = async (size: number, firstSizes: number[]) => {
      const info = await get('/v1/ledger');
      const latest = await get('/v1/ledger/heads/latest');
      expect(latest.treeSize).toBe(size);
      const all = (await get('/v1/ledger/entries?limit=100')).entries as { seq: number; entry: string }[];
      const request = {
        origin: info.origin,
        verifierKey: info.verifierKey,
        checkpoint: latest.checkpoint,
        inclusion: await Promise.all(
          all.map(async (e) => ({
            index: e.seq,
            entry: e.entry,
            proof: (await get(`/v1/ledger/proofs/inclusion?seq=${e.seq}&treeSize=${size}`)).proof,
          })),
        ),
        consistency: await Promise.all(
          firstSizes.map(async (size1) => ({
            size1,
            root1: (await get(`/v1/ledger/heads/${size1}`)).rootHash ?? '',
            proof: (await get(`/v1/ledger/proofs/consistency?first=${size1}&second=${size}`)).proof,
          })),
        ),
      };
      const withHeads = { ...request, consistency: request.consistency.filter((c) => c.root1 !== '') };
      expect(withHeads.consistency.length).toBeGreaterThan(0);
      const accepted = await tlogVerify(withHeads);
      expect(accepted.code, accepted.stderr).toBe(0);
      expect(JSON.parse(accepted.stdout)).toEqual({
        ok: true,
        size,
        inclusion: size,
        consistency: withHeads.consistency.length,
      });
      return withHeads;
    };
    const startLedger = async () => {
      const started = await startHost('pdx-ledger', [ledgerService], env, clock);
      ledger = started;
      ledgerUrl = started.url;
    };

    beforeAll(async () => {
      target = await makeTarget();
      for (const who of ['ops', 'globex', 'zoll', ...partners, renewing])
        keys.set(who, await generateSigningKey('EdDSA', `${who}-1`));
      const ledgerKey = await generateSigningKey('EdDSA', 'ledger-test');
      writeFileSync(join(dir, 'ledger.jwk.json'), JSON.stringify(ledgerKey.publicJwk));
      ({ env } = await hostEnv(target, keys.get('ops')!.publicJwk, {
        PDX_LEDGER_KEY: JSON.stringify(ledgerKey.privateJwk),
        PDX_LEDGER_ORIGIN: 'test.pdx/exemption-ledger',
        PDX_LEDGER_INTERVAL_MS: '50',
        PDX_LEDGER_HEAD_MIN_INTERVAL_MS: '0',
      }));
      intake = await startHost('pdx-intake', [intakeService], env, clock);
      review = await startHost('pdx-review', [reviewService], env, clock);
      await startLedger();
      await intake.bus.subscribe({
        group: 'ledger-observer',
        topics: [topics.statuses],
        handler: async (event) => {
          if (event.type.startsWith('org.pdx.exemption.')) exemptions.set(event.id, event);
        },
      });
      const register = (partyId: string, roles: string[], extra = {}) =>
        call('POST', '/v1/parties', 'ops', {
          partyId,
          legalName: partyId,
          country: 'DE',
          roles,
          jwks: { keys: [keys.get(partyId)!.publicJwk] },
          ...extra,
        });
      await register('globex', ['buyer']);
      await register('zoll', ['issuer'], { issuerOf: ['eu-aeo-aeos'] });
      for (const p of [...partners, renewing]) {
        await register(p, ['partner']);
        await call('POST', '/v1/relationships', 'globex', {
          partnerId: p,
          scopeOfService: { functions: ['warehouse'] },
        });
        await call('POST', `/v1/relationships/globex~${p}/acceptance`, p, {});
      }
      // The review service has every link before the certificates come: otherwise a certificate
      // attested and suspended while its link is still on its way would never ground an exemption.
      await eventually(async () => {
        const list = await api.ok(review, 'GET', '/v1/partner-status', 'globex');
        expect(list.partners).toHaveLength(partners.length + 1);
      }, 30_000);
    }, 120_000);
    afterAll(async () => {
      await ledger?.stop();
      await review?.stop();
      await intake?.stop();
      await target?.cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it('records every exemption granted and revoked exactly once, with a signed head', async () => {
      const certificates = [];
      for (const [n, p] of partners.entries()) certificates.push(await attest(p, n));
      await call('POST', `/v1/certificates/${certificates[1].certificate.certificateId}/suspension`, 'zoll', {
        reason: 'reassessment',
      });
      await eventually(() => expect(exemptions.size).toBe(6), 30_000);
      const head = await eventually(async () => {
        const h = await get('/v1/ledger/heads/latest');
        expect(h.treeSize).toBe(6);
        return h;
      }, 30_000);
      expect(head.origin).toBe('test.pdx/exemption-ledger');
      expect(head.checkpoint).toMatch(
        /^test\.pdx\/exemption-ledger\n6\n[A-Za-z0-9+/]{43}=\n\n\u2014 test\.pdx\/exemption-ledger /,
      );
      const { entries } = await get('/v1/ledger/entries?limit=100');
      const contents = entries.map((e: { entry: string }) => JSON.parse(e.entry));
      expect(new Set(contents.map((c: { causeEventId: string }) => c.causeEventId))).toEqual(
        new Set(exemptions.keys()),
      );
      expect(contents.map((c: { kind: string }) => c.kind).sort()).toEqual([
        ...Array(5).fill('exemption-granted'),
        'exemption-revoked',
      ]);
      const revoked = contents.find((c: { kind: string }) => c.kind === 'exemption-revoked');
      expect(revoked).toMatchObject({
        buyerId: 'globex',
        partnerId: 'p-two',
        clause: '4.4(c)',
        seq: expect.any(Number),
      });
      // Each entry is its RFC 8785 canonical form.
      for (const e of entries) expect(canonicalJson(JSON.parse(e.entry))).toBe(e.entry);
      const mine = await get('/v1/ledger/entries?partnerId=p-two');
      expect(mine.entries).toHaveLength(2);

      // The same events again (a redelivery, a replay): still one entry each.
      await intake.bus.publish([...exemptions.values()]);
      await new Promise((r) => setTimeout(r, 1500));
      expect((await get('/v1/ledger/heads/latest')).treeSize).toBe(6);
      expect((await get('/v1/ledger/entries')).entries).toHaveLength(6);
    });

    it('serves proofs any RFC 9162 verifier accepts, checked offline with the CLI', async () => {
      const key = join(dir, 'ledger.jwk.json');
      const online = await cli(
        'ledger',
        'verify-inclusion',
        '--url',
        ledgerUrl,
        '--seq',
        '3',
        '--key',
        key,
        '--save',
        dir,
      );
      expect(online.code, online.err).toBe(0);
      expect(online.out).toMatch(
        /^ok: entry 3 \(exemption-\w+ globex → p-\w+ 4\.4\(c\)\) is in the ledger test\.pdx\/exemption-ledger of 6 entries/,
      );
      const offline = await cli(
        'ledger',
        'verify-inclusion',
        '--entry',
        join(dir, 'entry.json'),
        '--proof',
        join(dir, 'proof.json'),
        '--head',
        join(dir, 'head.json'),
        '--key',
        key,
      );
      expect(offline.code, offline.err).toBe(0);
      // Another key does not verify the head.
      const stranger = join(dir, 'stranger.jwk.json');
      writeFileSync(stranger, JSON.stringify((await generateSigningKey('EdDSA', 'ledger-test')).publicJwk));
      const wrongKey = await cli(
        'ledger',
        'verify-inclusion',
        '--url',
        ledgerUrl,
        '--seq',
        '3',
        '--key',
        stranger,
      );
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.err).toMatch(/not signed by the ledger key/);

      // The monitor trusts the first head, then checks each new one extends it.
      const state = join(dir, 'monitor.json');
      const first = await cli(
        'ledger',
        'monitor',
        '--url',
        ledgerUrl,
        '--key',
        key,
        '--state',
        state,
        '--once',
      );
      expect(first.code, first.err).toBe(0);
      expect(first.out).toMatch(/trusting the first head: 6 entries/);
      await call(
        'POST',
        `/v1/certificates/${(await attest('p-two', 9)).certificate.certificateId}/suspension`,
        'zoll',
        {
          reason: 'a second look',
        },
      );
      await eventually(async () => expect((await get('/v1/ledger/heads/latest')).treeSize).toBe(8), 30_000);
      const next = await cli(
        'ledger',
        'monitor',
        '--url',
        ledgerUrl,
        '--key',
        key,
        '--state',
        state,
        '--once',
      );
      expect(next.code, next.err).toBe(0);
      expect(next.out).toMatch(/consistent: 6 → 8 entries/);

      // The independent Go libraries transparency logs use accept the checkpoint and proofs.
      const withHeads = await verifyWithGo(8, [1, 5, 6, 7]);
      const tampered = structuredClone(withHeads);
      tampered.inclusion[3]!.entry = tampered.inclusion[3]!.entry.replace('4.4(c)', '4.4(a)');
      const refused = await tlogVerify(tampered);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/inclusion of 3 in 8/);

      // Consistency between any two heads, and inclusion at an older size.
      const consistency = await get('/v1/ledger/proofs/consistency?first=6&second=8');
      expect(consistency.proof.length).toBeGreaterThan(0);
      const old = await get('/v1/ledger/proofs/inclusion?seq=2&treeSize=6');
      expect(old).toMatchObject({ seq: 2, treeSize: 6 });
      const bad = await ledger.http.inject({
        method: 'GET',
        url: '/v1/ledger/proofs/inclusion?seq=2&treeSize=99',
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'PDX_LEDGER_SIZE_INVALID', pointer: '/treeSize' });
      const none = await ledger.http.inject({ method: 'GET', url: '/v1/ledger/entries/99' });
      expect(none.json()).toMatchObject({ status: 404, code: 'PDX_LEDGER_ENTRY_NOT_FOUND' });
      const jwks = (await ledger.http.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
      expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain('ledger-test');
    });

    it('records a change of basis as one entry with the old and the new basis; a gap as two', async () => {
      const entriesOf = async (partnerId: string) =>
        (
          (await get(`/v1/ledger/entries?partnerId=${partnerId}`)).entries as { seq: number; entry: string }[]
        ).map((e) => ({ seq: e.seq, text: e.entry, content: JSON.parse(e.entry) }));
      const first = (await attest(renewing, 20)).certificate.certificateId as string;
      await eventually(async () => expect((await get('/v1/ledger/heads/latest')).treeSize).toBe(9), 30_000);
      // A new authorisation, then the old one withdrawn: exempt throughout, on another basis.
      const second = (await attest(renewing, 21)).certificate.certificateId as string;
      await call('POST', `/v1/certificates/${first}/withdrawal`, 'zoll', { reason: 'replaced' });
      await eventually(async () => {
        const mine = await entriesOf(renewing);
        expect(mine.map((e) => e.content.kind)).toEqual(['exemption-granted', 'exemption-basis-changed']);
      }, 30_000);
      const [granted, changed] = await entriesOf(renewing);
      expect(granted!.content).toMatchObject({ clause: '4.4(c)', certificateIds: [first] });
      expect(changed!.content).toMatchObject({
        kind: 'exemption-basis-changed',
        buyerId: 'globex',
        partnerId: renewing,
        clause: '4.4(c)',
        basis: granted!.content.basis,
        certificateIds: [second],
        previous: { clause: '4.4(c)', basis: granted!.content.basis, certificateIds: [first] },
      });
      expect(canonicalJson(changed!.content)).toBe(changed!.text);
      await eventually(
        () =>
          expect(exemptions.get(changed!.content.causeEventId)?.type).toBe(
            'org.pdx.exemption.basis-changed.v1',
          ),
        30_000,
      );

      // Suspended, then reinstated an hour later: the exemption ended in between.
      await call('POST', `/v1/certificates/${second}/suspension`, 'zoll', { reason: 'reassessment' });
      await eventually(async () => expect((await get('/v1/ledger/heads/latest')).treeSize).toBe(11), 30_000);
      clock.set(clock.now() + 3_600_000);
      await call('POST', `/v1/certificates/${second}/reinstatement`, 'zoll', { reason: 'reassessed' });
      await eventually(async () => {
        const mine = await entriesOf(renewing);
        expect(mine.map((e) => e.content.kind)).toEqual([
          'exemption-granted',
          'exemption-basis-changed',
          'exemption-revoked',
          'exemption-granted',
        ]);
      }, 30_000);
      await eventually(
        () =>
          expect([...exemptions.values()].filter((e) => e.subject === renewing).map((e) => e.type)).toEqual([
            'org.pdx.exemption.granted.v1',
            'org.pdx.exemption.basis-changed.v1',
            'org.pdx.exemption.revoked.v1',
            'org.pdx.exemption.granted.v1',
          ]),
        30_000,
      );

      // The CLI checks the change of basis offline; the Go verifier every entry.
      const online = await cli(
        'ledger',
        'verify-inclusion',
        '--url',
        ledgerUrl,
        '--seq',
        String(changed!.seq),
        '--key',
        join(dir, 'ledger.jwk.json'),
      );
      expect(online.code, online.err).toBe(0);
      expect(online.out).toMatch(/^ok: entry \d+ \(exemption-basis-changed globex → p-renew 4\.4\(c\)\)/);
      await eventually(async () => expect((await get('/v1/ledger/heads/latest')).treeSize).toBe(12), 30_000);
      await verifyWithGo(12, [1, 8, 10, 11]);
    });

    it('is caught by the CLI and by its own self-check when an entry is edited in the database', async () => {
      const store = await target.openStore('ledger');
      const entries = await store.collection<EntryDoc>(entryDocs);
      const victim = (await entries.get(seqId(4)))!;
      const forged = canonicalJson({ ...JSON.parse(victim.entry), partnerId: 'someone-else' });
      await entries.put({ ...victim, entry: forged });
      const key = join(dir, 'ledger.jwk.json');
      const caught = await cli('ledger', 'verify-inclusion', '--url', ledgerUrl, '--seq', '4', '--key', key);
      expect(caught.code).toBe(1);
      expect(caught.err).toMatch(/NOT INCLUDED: the proof does not lead to the root hash/);

      await ledger.stop();
      await startLedger();
      const integrity = await get('/v1/ledger/integrity');
      expect(integrity.ok).toBe(false);
      expect(integrity.problems).toEqual(['entry 4 does not hash to its leaf hash']);
      // It no longer appends: a new exemption stays pending.
      await attest('p-two', 10);
      await new Promise((r) => setTimeout(r, 1500));
      expect((await get('/v1/ledger/heads/latest')).treeSize).toBe(12);
      await store.close();
    });
  });
}

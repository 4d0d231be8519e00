import { eventually } from '@pdx/bus/testing';
import type { PartyRegistration, PublicJwk } from '@pdx/contracts';
import { topics } from '@pdx/contracts';
import {
  ATTESTATION_TYP,
  DECLARATION_TYP,
  generateSigningKey,
  type PrivateJwk,
  signCompact,
} from '@pdx/crypto';
import { directoryService } from '@pdx/directory';
import { createHost, type Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { silentLogger } from '@pdx/runtime';
import { compactVerify, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessTokens, viaHost } from './access-tokens.js';
import type { SliceTarget } from './targets.js';

const DAY = 86_400_000;
type Who = 'ops' | 'acme' | 'initech' | 'globex' | 'umbrella' | 'zoll' | 'tuv';

/**
 * Certificates and recognition policies end to end through intake: attested and claimed
 * certificates, the issuer's status changes, buyers' confirmations and policies, and every
 * bad input refused with its code and nothing published.
 */
export function certificateSliceSuite(name: string, makeTarget: () => Promise<SliceTarget>): void {
  describe(`certificates: ${name}`, () => {
    let host: Host;
    let target: SliceTarget;
    const keys = new Map<Who, { privateJwk: PrivateJwk; publicJwk: PublicJwk }>();
    const now = Date.now();

    const tokens = accessTokens({
      now: Date.now,
      keyOf: (who) => keys.get(who as Who)!.privateJwk,
      transport: viaHost(() => host),
    });
    const bearer = (who: Who) => tokens.authorization(who);
    const call = async (
      method: 'GET' | 'POST' | 'PUT',
      url: string,
      who: Who,
      body?: unknown,
      headers = {},
    ) =>
      host.http.inject({
        method,
        url,
        headers: {
          authorization: await bearer(who),
          ...(body === undefined
            ? {}
            : { 'content-type': typeof body === 'string' ? 'application/jose' : 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    const published = () => target.countPublished(host.bus, topics.certificates);
    const attestation = (overrides: Record<string, unknown> = {}) => ({
      schemeId: 'eu-aeo-aeof',
      number: 'DE AEOF 00025/08',
      holder: 'acme',
      issuer: 'zoll',
      scope: { functions: ['warehouse', 'forwarder'], sites: ['DEHAM'] },
      validFrom: new Date(now - 400 * DAY).toISOString(),
      issuedAt: new Date(now - 60_000).toISOString(),
      ...overrides,
    });
    const sign = (payload: unknown, by: Who = 'zoll', typ = ATTESTATION_TYP) =>
      signCompact(JSON.stringify(payload), keys.get(by)!.privateJwk, typ);
    const expectProblem = async (
      res: { statusCode: number; json(): { code: string; pointer?: string } },
      status: number,
      code: string,
      pointer?: string,
    ) => {
      expect(res.statusCode, code).toBe(status);
      const problem = res.json();
      expect(problem.code).toBe(code);
      if (pointer !== undefined) expect(problem.pointer, code).toBe(pointer);
    };

    beforeAll(async () => {
      target = await makeTarget();
      for (const who of ['ops', 'acme', 'initech', 'globex', 'umbrella', 'zoll', 'tuv'] as Who[]) {
        keys.set(who, await generateSigningKey(who === 'zoll' ? 'ES256' : 'EdDSA', `${who}-1`));
      }
      host = await createHost({
        name: 'pdx-test',
        services: [intakeService, directoryService],
        env: {
          ...target.env,
          PORT: '0',
          PDX_OPERATORS: JSON.stringify([{ id: 'ops', jwks: { keys: [keys.get('ops')!.publicJwk] } }]),
        },
        logger: silentLogger(),
      });
      await host.start();
      const register = async (party: Omit<PartyRegistration, 'jwks' | 'legalName'>) => {
        const res = await call('POST', '/v1/parties', 'ops', {
          ...party,
          legalName: party.partyId,
          jwks: { keys: [keys.get(party.partyId as Who)!.publicJwk] },
        });
        expect(res.statusCode, res.body).toBe(201);
      };
      await register({ partyId: 'acme', country: 'DE', roles: ['partner'] });
      await register({ partyId: 'initech', country: 'NL', roles: ['partner'] });
      await register({ partyId: 'globex', country: 'DE', roles: ['buyer'] });
      await register({ partyId: 'umbrella', country: 'US', roles: ['buyer'] });
      await register({
        partyId: 'zoll',
        country: 'DE',
        roles: ['issuer'],
        issuerOf: ['eu-aeo-aeos', 'eu-aeo-aeof'],
      });
      await register({
        partyId: 'tuv',
        country: 'DE',
        roles: ['issuer'],
        issuerOf: ['iso-28000', 'tapa-fsr'],
      });
      const offer = await call('POST', '/v1/relationships', 'globex', {
        partnerId: 'acme',
        scopeOfService: { functions: ['warehouse'] },
      });
      expect(offer.statusCode).toBe(201);
      expect((await call('POST', '/v1/relationships/globex~acme/acceptance', 'acme', {})).statusCode).toBe(
        200,
      );
    });
    afterAll(async () => {
      await host?.stop();
      await target?.cleanup?.();
    });

    it('registers issuers only with the schemes they attest', async () => {
      const base = { legalName: 'Some CB', country: 'DE', jwks: { keys: [keys.get('tuv')!.publicJwk] } };
      await expectProblem(
        await call('POST', '/v1/parties', 'ops', { ...base, partyId: 'cb-1', roles: ['issuer'] }),
        400,
        'PDX_REQUEST_INVALID',
      );
      await expectProblem(
        await call('POST', '/v1/parties', 'ops', {
          ...base,
          partyId: 'cb-1',
          roles: ['issuer'],
          issuerOf: ['iso-9999'],
        }),
        400,
        'PDX_SCHEME_UNKNOWN',
        '/issuerOf/0',
      );
      await expectProblem(
        await call('POST', '/v1/parties', 'ops', {
          ...base,
          partyId: 'cb-1',
          roles: ['partner'],
          issuerOf: ['iso-28000'],
        }),
        400,
        'PDX_REQUEST_INVALID',
      );
    });

    it('refuses every bad attestation with its code and publishes nothing', async () => {
      const cases: [string, Promise<string>, Who, number, string, string?][] = [
        [
          'unknown scheme',
          sign(attestation({ schemeId: 'xx-aeo' })),
          'zoll',
          400,
          'PDX_SCHEME_UNKNOWN',
          '/schemeId',
        ],
        [
          'issuer not registered',
          sign(attestation({ issuer: 'nobody' })),
          'zoll',
          400,
          'PDX_ISSUER_UNKNOWN',
          '/issuer',
        ],
        [
          'issuer without the role',
          sign(attestation({ issuer: 'initech' }), 'initech'),
          'acme',
          400,
          'PDX_ISSUER_UNKNOWN',
          '/issuer',
        ],
        ['signed by another party', sign(attestation(), 'tuv'), 'zoll', 400, 'PDX_ATTESTATION_NOT_BY_ISSUER'],
        [
          'issuer not registered for the scheme',
          sign(attestation({ issuer: 'tuv' }), 'tuv'),
          'tuv',
          400,
          'PDX_ISSUER_SCHEME_MISMATCH',
          '/schemeId',
        ],
        [
          'validUntil before validFrom',
          sign(
            attestation({
              schemeId: 'iso-28000',
              number: 'ISO-1',
              issuer: 'tuv',
              validUntil: new Date(now - 500 * DAY).toISOString(),
            }),
            'tuv',
          ),
          'tuv',
          400,
          'PDX_VALIDITY_INVERTED',
          '/validUntil',
        ],
        [
          'open-ended scheme with validUntil',
          sign(attestation({ validUntil: new Date(now + 300 * DAY).toISOString() })),
          'zoll',
          400,
          'PDX_CERTIFICATE_INVALID',
          '/validUntil',
        ],
        [
          'number not of the scheme',
          sign(attestation({ number: '12345' })),
          'zoll',
          400,
          'PDX_CERTIFICATE_INVALID',
          '/number',
        ],
        [
          'holder unknown',
          sign(attestation({ holder: 'nobody' })),
          'zoll',
          400,
          'PDX_HOLDER_UNKNOWN',
          '/holder',
        ],
        ['wrong typ', sign(attestation(), 'zoll', DECLARATION_TYP), 'zoll', 400, 'PDX_JWS_TYP_INVALID'],
        [
          'schema violation',
          sign({ ...attestation(), scope: { functions: [] } }),
          'zoll',
          400,
          'PDX_CERTIFICATE_INVALID',
          '/scope/functions',
        ],
        ['submitted by a stranger', sign(attestation()), 'initech', 403, 'PDX_FORBIDDEN'],
      ];
      for (const [label, jws, who, status, code, pointer] of cases) {
        const res = await call('POST', '/v1/certificates/attestations', who, await jws);
        expect(res.statusCode, `${label}: ${res.body}`).toBe(status);
        expect(res.json().code, label).toBe(code);
        if (pointer) expect(res.json().pointer, label).toBe(pointer);
      }
      const json = await call('POST', '/v1/certificates/attestations', 'zoll', attestation());
      await expectProblem(json, 415, 'PDX_MEDIA_TYPE_UNSUPPORTED');
      expect(await published()).toBe(0);
    });

    let aeoId = '';
    it('registers an attested certificate once; the original JWS verifies against the issuer key', async () => {
      const jws = await sign(attestation());
      const res = await call('POST', '/v1/certificates/attestations', 'zoll', jws);
      expect(res.statusCode, res.body).toBe(201);
      const view = res.json();
      expect(view).toMatchObject({
        effectiveState: 'active',
        certificate: {
          schemeId: 'eu-aeo-aeof',
          number: 'DE AEOF 00025/08',
          holder: 'acme',
          trust: 'attested',
          issuer: 'zoll',
          state: 'active',
          version: 1,
        },
      });
      expect(view.daysToExpiry).toBeUndefined();
      aeoId = view.certificate.certificateId;
      expect(res.headers.location).toBe(`/v1/certificates/${aeoId}`);
      const key = await importJWK(keys.get('zoll')!.publicJwk, 'ES256');
      await expect(compactVerify(view.certificate.attestation.jws, key)).resolves.toBeDefined();
      // The holder may forward the same attestation: nothing new.
      expect((await call('POST', '/v1/certificates/attestations', 'acme', jws)).statusCode).toBe(200);
      expect(await published()).toBe(1);
      // The same number for another holder, even in another spelling, is refused.
      await expectProblem(
        await call(
          'POST',
          '/v1/certificates/attestations',
          'zoll',
          await sign(attestation({ holder: 'initech', number: ' de aeof  00025/08' })),
        ),
        409,
        'PDX_CERTIFICATE_NUMBER_TAKEN',
        '/number',
      );
      expect(await published()).toBe(1);
    });

    it('renews with a later attestation and refuses an older one', async () => {
      const renewed = attestation({
        scope: { functions: ['warehouse'] },
        issuedAt: new Date(now - 30_000).toISOString(),
      });
      const res = await call('POST', '/v1/certificates/attestations', 'zoll', await sign(renewed));
      expect(res.statusCode).toBe(200);
      expect(res.json().certificate).toMatchObject({ version: 2, scope: { functions: ['warehouse'] } });
      await expectProblem(
        await call(
          'POST',
          '/v1/certificates/attestations',
          'zoll',
          await sign(attestation({ issuedAt: new Date(now - 90_000).toISOString() })),
        ),
        409,
        'PDX_ATTESTATION_STALE',
        '/issuedAt',
      );
      expect(await published()).toBe(2);
    });

    it('lets only the issuer suspend, reinstate and withdraw, each at once', async () => {
      const url = (s: string) => `/v1/certificates/${aeoId}/${s}`;
      await expectProblem(
        await call('POST', url('suspension'), 'acme', { reason: 'x' }),
        403,
        'PDX_NOT_CERTIFICATE_ISSUER',
      );
      await expectProblem(
        await call('POST', url('suspension'), 'umbrella', { reason: 'x' }),
        404,
        'PDX_CERTIFICATE_NOT_FOUND',
      );
      await expectProblem(
        await call('POST', url('suspension'), 'zoll', { reason: '' }),
        400,
        'PDX_REQUEST_INVALID',
        '/reason',
      );
      await expectProblem(
        await call('POST', url('reinstatement'), 'zoll', { reason: 'nothing to lift' }),
        409,
        'PDX_CERTIFICATE_STATE_CONFLICT',
      );
      expect(await published()).toBe(2);

      const suspended = await call('POST', url('suspension'), 'zoll', {
        reason: 'reassessment under Art. 15 UCC-DA',
      });
      expect(suspended.statusCode).toBe(200);
      expect(suspended.json()).toMatchObject({
        effectiveState: 'suspended',
        certificate: { state: 'suspended' },
      });
      // A retried request is answered as before.
      expect(
        (await call('POST', url('suspension'), 'zoll', { reason: 'reassessment under Art. 15 UCC-DA' }))
          .statusCode,
      ).toBe(200);
      await expectProblem(
        await call('POST', url('suspension'), 'zoll', { reason: 'another' }),
        409,
        'PDX_CERTIFICATE_STATE_CONFLICT',
      );
      expect(await published()).toBe(3);
      // The linked buyer sees it; a renewal does not lift the suspension.
      expect(
        (await call('POST', url('reinstatement'), 'zoll', { reason: 'reassessment passed' })).json()
          .effectiveState,
      ).toBe('active');
      const withdrawn = await call('POST', url('withdrawal'), 'zoll', { reason: 'revoked' });
      expect(withdrawn.json().effectiveState).toBe('withdrawn');
      await expectProblem(
        await call('POST', url('suspension'), 'zoll', { reason: 'late' }),
        409,
        'PDX_CERTIFICATE_STATE_CONFLICT',
      );
      await expectProblem(
        await call(
          'POST',
          '/v1/certificates/attestations',
          'zoll',
          await sign(attestation({ issuedAt: new Date(now - 10_000).toISOString() })),
        ),
        409,
        'PDX_CERTIFICATE_STATE_CONFLICT',
      );
      expect(await published()).toBe(5);
    });

    it('records claims as unverified until a linked buyer confirms them', async () => {
      const claim = {
        schemeId: 'tapa-fsr',
        number: 'FSR-2025-0042',
        issuerName: 'Audit Co. (TAPA IAB)',
        scope: { functions: ['warehouse'], sites: ['DEHAM'] },
        validFrom: new Date(now - 100 * DAY).toISOString(),
        validUntil: new Date(now + 200 * DAY).toISOString(),
        evidence: 'doc://acme/tapa-fsr-2025.pdf',
      };
      await expectProblem(
        await call('POST', '/v1/certificates/claims', 'acme', { ...claim, schemeId: 'nope' }),
        400,
        'PDX_SCHEME_UNKNOWN',
        '/schemeId',
      );
      await expectProblem(
        await call('POST', '/v1/certificates/claims', 'acme', {
          ...claim,
          validUntil: new Date(now - 200 * DAY).toISOString(),
        }),
        400,
        'PDX_VALIDITY_INVERTED',
        '/validUntil',
      );
      await expectProblem(
        await call('POST', '/v1/certificates/claims', 'acme', { ...claim, validUntil: undefined }),
        400,
        'PDX_CERTIFICATE_INVALID',
        '/validUntil',
      );
      await expectProblem(
        await call('POST', '/v1/certificates/claims', 'acme', { ...claim, tier: 'Gold' }),
        400,
        'PDX_CERTIFICATE_INVALID',
        '/tier',
      );
      await expectProblem(
        await call('POST', '/v1/certificates/claims', 'ops', claim),
        403,
        'PDX_ROLE_REQUIRED',
      );
      expect(await published()).toBe(5);

      const res = await call('POST', '/v1/certificates/claims', 'acme', claim);
      expect(res.statusCode, res.body).toBe(201);
      const view = res.json();
      expect(view.certificate).toMatchObject({
        trust: 'claimed',
        issuerName: 'Audit Co. (TAPA IAB)',
        confirmations: [],
      });
      expect(view.daysToExpiry).toBe(199);
      const id = view.certificate.certificateId;
      await expectProblem(
        await call('POST', '/v1/certificates/claims', 'initech', claim),
        409,
        'PDX_CERTIFICATE_NUMBER_TAKEN',
      );
      const confirmation = { reviewer: 'J. Doe, Supplier Security', evidenceRef: 'REV-2026-117' };
      await expectProblem(
        await call('POST', `/v1/certificates/${id}/confirmations`, 'umbrella', confirmation),
        404,
        'PDX_CERTIFICATE_NOT_FOUND',
      );
      await expectProblem(
        await call('POST', `/v1/certificates/${id}/confirmations`, 'acme', confirmation),
        403,
        'PDX_FORBIDDEN',
      );
      await expectProblem(
        await call('POST', `/v1/certificates/${aeoId}/confirmations`, 'globex', confirmation),
        409,
        'PDX_CERTIFICATE_STATE_CONFLICT',
      );
      const confirmed = await call('POST', `/v1/certificates/${id}/confirmations`, 'globex', confirmation);
      expect(confirmed.statusCode).toBe(200);
      expect(confirmed.json().certificate.confirmations).toEqual([
        expect.objectContaining({ buyerId: 'globex', ...confirmation }),
      ]);
      expect(
        (await call('POST', `/v1/certificates/${id}/confirmations`, 'globex', confirmation)).statusCode,
      ).toBe(200);
      await expectProblem(
        await call('POST', `/v1/certificates/${id}/suspension`, 'acme', { reason: 'x' }),
        403,
        'PDX_NOT_CERTIFICATE_ISSUER',
      );
      // A changed claim needs confirming again.
      const changed = await call('POST', '/v1/certificates/claims', 'acme', {
        ...claim,
        evidence: 'doc://acme/tapa-fsr-2025-v2.pdf',
      });
      expect(changed.json().certificate).toMatchObject({ version: 3, confirmations: [] });
      expect(
        (await call('POST', `/v1/certificates/${id}/withdrawal`, 'acme', { reason: 'site closed' })).json()
          .effectiveState,
      ).toBe('withdrawn');
      expect(await published()).toBe(9);
      // An attested certificate cannot be replaced by a claim.
      await expectProblem(
        await call('POST', '/v1/certificates/claims', 'acme', {
          ...claim,
          schemeId: 'eu-aeo-aeof',
          number: 'DE AEOF 00025/08',
          validUntil: undefined,
        }),
        409,
        'PDX_CERTIFICATE_ATTESTED',
      );
    });

    it('lets a buyer list its partners’ certificates and anyone check one by scheme and number', async () => {
      const listed = await eventually(async () => {
        const res = await call('GET', '/v1/certificates', 'globex');
        expect(res.statusCode).toBe(200);
        const all = res.json().certificates as {
          certificate: { number: string; state: string };
          effectiveState: string;
          daysToExpiry?: number;
        }[];
        expect(all.map((v) => v.certificate.number).sort()).toEqual(['DE AEOF 00025/08', 'FSR-2025-0042']);
        expect(all.every((v) => v.certificate.state === 'withdrawn')).toBe(true);
        return all;
      });
      // Soonest lapse first: the dated TAPA certificate before the open-ended AEO.
      expect(listed[0]!.certificate.number).toBe('FSR-2025-0042');
      expect(listed[0]!.daysToExpiry).toBe(199);
      expect((await call('GET', '/v1/certificates', 'umbrella')).json().certificates).toEqual([]);
      expect((await call('GET', '/v1/certificates?holder=acme', 'umbrella')).json().certificates).toEqual([]);
      expect((await call('GET', `/v1/certificates/${aeoId}`, 'umbrella')).json().code).toBe(
        'PDX_CERTIFICATE_NOT_FOUND',
      );
      expect((await call('GET', `/v1/certificates/${aeoId}`, 'zoll')).json().effectiveState).toBe(
        'withdrawn',
      );

      const lookup = (who: Who, number: string) =>
        call('GET', `/v1/certificate-status?scheme=eu-aeo-aeof&number=${encodeURIComponent(number)}`, who);
      const forStranger = (await lookup('umbrella', 'de aeof 00025/08')).json();
      expect(forStranger).toMatchObject({
        found: true,
        holder: 'acme',
        trust: 'attested',
        effectiveState: 'withdrawn',
      });
      expect(forStranger.certificate).toBeUndefined();
      expect((await lookup('globex', 'DE AEOF 00025/08')).json().certificate.scope).toBeDefined();
      expect((await lookup('umbrella', 'DE AEOF 99999/99')).json()).toMatchObject({
        found: false,
        number: 'DE AEOF 99999/99',
      });
      expect(
        (await call('GET', '/v1/certificate-status?scheme=eu-aeo-aeof', 'umbrella')).json(),
      ).toMatchObject({
        code: 'PDX_REQUEST_INVALID',
      });
    });

    it('lets an issuer list what it attested, whoever holds it, by scheme and state', async () => {
      const numbers = async (who: Who, query: string) => {
        const res = await call('GET', `/v1/certificates?${query}`, who);
        expect(res.statusCode, res.body).toBe(200);
        return (res.json().certificates as { certificate: { number: string; issuer?: string } }[]).map(
          (v) => v.certificate.number,
        );
      };
      // Without the filter an issuer sees only what it holds itself: nothing.
      expect(await numbers('zoll', '')).toEqual([]);
      await eventually(async () =>
        expect(await numbers('zoll', 'issuer=zoll')).toEqual(['DE AEOF 00025/08']),
      );
      expect(await numbers('zoll', 'issuer=zoll&state=withdrawn')).toEqual(['DE AEOF 00025/08']);
      expect(await numbers('zoll', 'issuer=zoll&state=active')).toEqual([]);
      expect(await numbers('zoll', 'issuer=zoll&scheme=eu-aeo-aeos')).toEqual([]);
      expect(await numbers('zoll', 'issuer=zoll&holder=initech')).toEqual([]);
      expect(await numbers('ops', 'issuer=zoll')).toEqual(['DE AEOF 00025/08']);
      // Another issuer's list: only what the caller may see anyway.
      expect(await numbers('globex', 'issuer=zoll')).toEqual(['DE AEOF 00025/08']);
      expect(await numbers('umbrella', 'issuer=zoll')).toEqual([]);
      expect(await numbers('tuv', 'issuer=zoll')).toEqual([]);
      // A buyer filters its partners' certificates by state too.
      expect(await numbers('globex', 'state=withdrawn')).toEqual(['FSR-2025-0042', 'DE AEOF 00025/08']);
      expect(await numbers('globex', 'state=active')).toEqual([]);
      for (const query of ['state=lapsed', 'issuer=Not_An_Id', 'scheme=', 'colour=red']) {
        const res = await call('GET', `/v1/certificates?${query}`, 'zoll');
        expect(res.statusCode, query).toBe(400);
        expect(res.json().code, query).toBe('PDX_REQUEST_INVALID');
      }
    });

    it('records a buyer’s reviews of a partner’s declaration, kept and never overwritten', async () => {
      const dos = {
        declarationId: 'dos-2027',
        issuer: 'acme',
        recipients: ['globex'],
        scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
        measures: {
          E: {
            statement: 'Fenced, lit, access-controlled.',
            controls: ['Badge access'],
            isoReferences: { iso28000: ['4.4.6'], iso28001: ['5.4'] },
          },
        },
        validity: { from: new Date(now - DAY).toISOString(), until: new Date(now + 300 * DAY).toISOString() },
        signatory: { name: 'E. Mustermann', title: 'Head of Security', authority: 'Prokura' },
        issuedAt: new Date(now - 60_000).toISOString(),
      };
      const submitted = await call(
        'POST',
        '/v1/declarations',
        'acme',
        await sign(dos, 'acme', DECLARATION_TYP),
      );
      expect(submitted.statusCode, submitted.body).toBe(202);
      const published = () => target.countPublished(host.bus, topics.reviews);
      const review = {
        reviewId: 'REV-2027-001',
        partnerId: 'acme',
        declarationId: 'dos-2027',
        reviewedAt: new Date(now - 1000).toISOString(),
        reviewer: 'J. Doe, supplier security',
        method: 'site-visit',
        outcome: 'credible',
        findings: ['gate 2 camera out of order, fixed on site'],
        evidence: [{ name: 'visit-report.pdf', sha256: 'a'.repeat(64) }],
      };
      await expectProblem(await call('POST', '/v1/reviews', 'acme', review), 403, 'PDX_ROLE_REQUIRED');
      await expectProblem(
        await call('POST', '/v1/reviews', 'umbrella', review),
        403,
        'PDX_PARTNER_NOT_LINKED',
        '/partnerId',
      );
      await expectProblem(
        await call('POST', '/v1/reviews', 'globex', { ...review, declarationId: 'nope' }),
        404,
        'PDX_DECLARATION_NOT_FOUND',
        '/declarationId',
      );
      await expectProblem(
        await call('POST', '/v1/reviews', 'globex', {
          ...review,
          reviewedAt: new Date(Date.now() + DAY).toISOString(),
        }),
        400,
        'PDX_REVIEW_DATE_INVALID',
        '/reviewedAt',
      );
      await expectProblem(
        await call('POST', '/v1/reviews', 'globex', {
          ...review,
          reviewedAt: new Date(now - 2 * DAY).toISOString(),
        }),
        400,
        'PDX_REVIEW_DATE_INVALID',
        '/reviewedAt',
      );
      await expectProblem(
        await call('POST', '/v1/reviews', 'globex', { ...review, method: 'gut-feeling' }),
        400,
        'PDX_REQUEST_INVALID',
        '/method',
      );
      await expectProblem(
        await call('POST', '/v1/reviews', 'globex', {
          ...review,
          evidence: [{ name: 'x', sha256: 'not-a-hash' }],
        }),
        400,
        'PDX_REQUEST_INVALID',
        '/evidence/0/sha256',
      );
      expect(await published()).toBe(0);

      const recorded = await call('POST', '/v1/reviews', 'globex', review);
      expect(recorded.statusCode, recorded.body).toBe(201);
      expect(recorded.json()).toMatchObject({ ...review, buyerId: 'globex' });
      expect((await call('POST', '/v1/reviews', 'globex', review)).statusCode).toBe(200);
      await expectProblem(
        await call('POST', '/v1/reviews', 'globex', { ...review, outcome: 'not-credible' }),
        409,
        'PDX_REVIEW_CONFLICT',
        '/reviewId',
      );
      expect(await published()).toBe(1);
    });

    it('records a buyer’s security incidents involving a partner, kept and never overwritten', async () => {
      const published = () => target.countPublished(host.bus, topics.reviews);
      const before = await published();
      const incident = {
        incidentId: 'INC-2027-07',
        partnerId: 'acme',
        occurredAt: new Date(now - 3 * DAY).toISOString(),
        severity: 'high',
        category: 'tampering',
        summary: 'Seal found broken on arrival at DEHAM.',
        reportedTo: ['customs'],
      };
      await expectProblem(await call('POST', '/v1/incidents', 'acme', incident), 403, 'PDX_ROLE_REQUIRED');
      await expectProblem(
        await call('POST', '/v1/incidents', 'umbrella', incident),
        403,
        'PDX_PARTNER_NOT_LINKED',
        '/partnerId',
      );
      await expectProblem(
        await call('POST', '/v1/incidents', 'globex', {
          ...incident,
          occurredAt: new Date(Date.now() + DAY).toISOString(),
        }),
        400,
        'PDX_INCIDENT_DATE_INVALID',
        '/occurredAt',
      );
      await expectProblem(
        await call('POST', '/v1/incidents', 'globex', { ...incident, severity: 'catastrophic' }),
        400,
        'PDX_REQUEST_INVALID',
        '/severity',
      );
      await expectProblem(
        await call('POST', '/v1/incidents', 'globex', { ...incident, reportedTo: ['customs', 'customs'] }),
        400,
        'PDX_REQUEST_INVALID',
        '/reportedTo',
      );
      await expectProblem(
        await call('POST', '/v1/incidents', 'globex', { ...incident, summary: '   ' }),
        400,
        'PDX_REQUEST_INVALID',
        '/summary',
      );
      expect(await published()).toBe(before);

      const recorded = await call('POST', '/v1/incidents', 'globex', incident);
      expect(recorded.statusCode, recorded.body).toBe(201);
      expect(recorded.json()).toMatchObject({ ...incident, buyerId: 'globex', evidence: [] });
      expect((await call('POST', '/v1/incidents', 'globex', incident)).statusCode).toBe(200);
      await expectProblem(
        await call('POST', '/v1/incidents', 'globex', { ...incident, severity: 'low' }),
        409,
        'PDX_INCIDENT_CONFLICT',
        '/incidentId',
      );
      expect(await published()).toBe(before + 1);
    });

    it('serves a buyer its recognition policy: the MRA default, then versions it sets', async () => {
      const url = '/v1/recognition-policies/globex';
      const initial = await call('GET', url, 'globex');
      expect(initial.statusCode).toBe(200);
      expect(initial.headers.etag).toBe('"0"');
      const policy = initial.json();
      expect(policy).toMatchObject({
        buyerId: 'globex',
        version: 0,
        origin: 'default',
        alertThresholdsDays: [90, 30, 7],
      });
      expect(policy.schemes).toEqual(expect.arrayContaining(['eu-aeo-aeos', 'us-ctpat', 'iso-28001']));
      expect(policy.schemes).not.toContain('eu-aeo-aeoc');
      expect((await call('GET', '/v1/recognition-policies/umbrella', 'umbrella')).json().schemes).toContain(
        'ca-pip',
      );
      await expectProblem(await call('GET', url, 'acme'), 403, 'PDX_FORBIDDEN');
      await expectProblem(
        await call('GET', '/v1/recognition-policies/acme', 'ops'),
        404,
        'PDX_PARTY_NOT_FOUND',
      );

      const published = () => target.countPublished(host.bus, topics.policies);
      const update = { schemes: ['eu-aeo-aeos', 'eu-aeo-aeof', 'iso-28001'], alertThresholdsDays: [60, 14] };
      await expectProblem(
        await call('PUT', url, 'globex', { ...update, schemes: ['eu-aeo-aeos', 'nope'] }),
        400,
        'PDX_SCHEME_UNKNOWN',
        '/schemes/1',
      );
      await expectProblem(
        await call('PUT', url, 'globex', { ...update, issuers: { 'tapa-fsr': ['tuv'] } }),
        400,
        'PDX_REQUEST_INVALID',
        '/issuers/tapa-fsr',
      );
      await expectProblem(
        await call('PUT', url, 'globex', { ...update, issuers: { 'eu-aeo-aeos': ['tuv'] } }),
        400,
        'PDX_ISSUER_UNKNOWN',
        '/issuers/eu-aeo-aeos/0',
      );
      await expectProblem(
        await call('PUT', url, 'globex', { ...update, alertThresholdsDays: [0] }),
        400,
        'PDX_REQUEST_INVALID',
        '/alertThresholdsDays/0',
      );
      await expectProblem(await call('PUT', url, 'acme', update), 403, 'PDX_FORBIDDEN');
      expect(await published()).toBe(0);

      const set = await call(
        'PUT',
        url,
        'globex',
        { ...update, issuers: { 'eu-aeo-aeos': ['zoll'] } },
        { 'if-match': '"0"' },
      );
      expect(set.statusCode, set.body).toBe(200);
      expect(set.headers.etag).toBe('"1"');
      expect(set.json()).toMatchObject({
        version: 1,
        origin: 'set',
        alertThresholdsDays: [60, 14],
        issuers: { 'eu-aeo-aeos': ['zoll'] },
        changedBy: 'globex',
      });
      expect(
        (await call('PUT', url, 'globex', { ...update, issuers: { 'eu-aeo-aeos': ['zoll'] } })).json()
          .version,
      ).toBe(1);
      await expectProblem(
        await call('PUT', url, 'globex', update, { 'if-match': '"0"' }),
        412,
        'PDX_PRECONDITION_FAILED',
      );
      expect((await call('GET', url, 'globex')).json().version).toBe(1);
      expect(await published()).toBe(1);
    });
  });
}

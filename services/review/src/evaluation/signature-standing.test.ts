import { type Certificate, type KeyState, type PublicJwk, SchemaRegistry } from '@pdx/contracts';
import {
  ATTESTATION_TYP,
  DECLARATION_TYP,
  generateSigningKey,
  type PrivateJwk,
  signCompact,
} from '@pdx/crypto';
import { type BuyerPolicy, defaultReviewPolicy, evaluate, type PartnerFacts } from '@pdx/rules';
import { defaultRecognisedSchemes } from '@pdx/schemes';
import { loadCatalogues } from '@pdx/schemes/load';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateDoc, DeclarationDoc } from '../facts/fact-docs.js';
import { standingFacts } from './signature-standing.js';

const catalogues = loadCatalogues(new SchemaRegistry());
const DAY = 86_400_000;
const now = Date.parse('2027-06-01T00:00:00Z');
const at = (days: number) => new Date(now + days * DAY).toISOString();
const policy: BuyerPolicy = {
  buyerId: 'globex',
  version: 0,
  schemes: defaultRecognisedSchemes(catalogues, 'DE'),
  issuers: {},
  review: defaultReviewPolicy,
};

let acme: { privateJwk: PrivateJwk; publicJwk: PublicJwk };
let zoll: { privateJwk: PrivateJwk; publicJwk: PublicJwk };
beforeAll(async () => {
  acme = await generateSigningKey('EdDSA', 'acme-1');
  zoll = await generateSigningKey('EdDSA', 'zoll-1');
});

const key = (
  jwk: PublicJwk,
  revocation?: { from: string; reason: KeyState['revocationReason'] },
): KeyState => ({
  jwk,
  addedAt: at(-400),
  ...(revocation
    ? { revokedFrom: revocation.from, revokedAt: at(0), revocationReason: revocation.reason }
    : {}),
});

/** acme's declaration, signed (as stated) on `issuedDay` and received by intake on `receivedDay`. */
async function declaration(
  declarationId: string,
  issuedDay: number,
  receivedDay = issuedDay,
  supersedes?: string,
): Promise<DeclarationDoc> {
  return {
    id: `acme~${declarationId}`,
    issuer: 'acme',
    jws: await signCompact(JSON.stringify({ declarationId }), acme.privateJwk, DECLARATION_TYP),
    submittedAt: at(receivedDay),
    fact: {
      declarationId,
      recipients: ['globex'],
      issuedAt: at(issuedDay),
      validFrom: at(issuedDay),
      validUntil: at(300),
      areas: ['A', 'B', 'C', 'E', 'F', 'H', 'I'],
      ...(supersedes === undefined ? {} : { supersedes }),
    },
  };
}

/** zoll's AEO attestation for acme, signed on `issuedDay`, received on `receivedDay`. */
async function attested(issuedDay: number, receivedDay = issuedDay): Promise<CertificateDoc> {
  const certificate: Certificate = {
    certificateId: 'eu-aeo-aeos~00000000000000000001',
    schemeId: 'eu-aeo-aeos',
    number: 'DE AEOS 4711/27',
    holder: 'acme',
    trust: 'attested',
    issuer: 'zoll',
    scope: { functions: ['warehouse'] },
    validFrom: at(-365),
    state: 'active',
    attestation: {
      jws: await signCompact('{"schemeId":"eu-aeo-aeos"}', zoll.privateJwk, ATTESTATION_TYP),
      issuedAt: at(issuedDay),
      contentHash: 'h'.repeat(43),
    },
    confirmations: [],
    version: 1,
  };
  return {
    id: certificate.certificateId,
    holder: 'acme',
    certificate,
    attestationReceivedAt: at(receivedDay),
  };
}

const facts = (standing: ReturnType<typeof standingFacts>): PartnerFacts => ({
  buyerId: 'globex',
  partnerId: 'acme',
  country: 'DE',
  functions: ['warehouse'],
  locations: ['DEHAM'],
  ...standing,
  reviews: [
    {
      reviewId: 'rev-1',
      declarationId: 'dos-1',
      reviewedAt: at(-5),
      reviewer: 'J. Doe',
      method: 'document-review',
      outcome: 'credible',
      findings: [],
    },
  ],
  incidents: [],
});
const statusOf = (standing: ReturnType<typeof standingFacts>) =>
  evaluate(facts(standing), policy, catalogues, now).status;

describe('what a decision may rest on: signatures that still stand', () => {
  it('a declaration signed with a key compromised from before its signing grounds nothing', async () => {
    const dos = await declaration('dos-1', -10);
    const before = standingFacts([dos], [], () => [key(acme.publicJwk)]);
    expect(statusOf(before)).toBe('credible');
    // Given the key is revoked as compromised from day -20, before the declaration was signed…
    const after = standingFacts([dos], [], () => [
      key(acme.publicJwk, { from: at(-20), reason: 'compromised' }),
    ]);
    // …then the declaration is gone from the facts and the reviewed credibility with it.
    expect(after.declarations).toEqual([]);
    expect(statusOf(after)).toBe('declaration-required');
  });

  it('a declaration or attestation signed with a sign-in key (authentication only) grounds nothing', async () => {
    const dos = await declaration('dos-1', -10);
    const aeo = await attested(-30);
    const signIn = (jwk: PublicJwk): KeyState => ({ ...key(jwk), purposes: ['authentication'] });
    const standing = standingFacts([dos], [aeo], (id) => [
      signIn(id === 'acme' ? acme.publicJwk : zoll.publicJwk),
    ]);
    expect(standing.declarations).toEqual([]);
    expect(standing.certificates).toEqual([]);
    // Keys without purposes (registered before they existed) and signing keys: both stand.
    for (const purposes of [undefined, ['signing' as const]]) {
      const k = (jwk: PublicJwk): KeyState => ({ ...key(jwk), ...(purposes ? { purposes } : {}) });
      const kept = standingFacts([dos], [aeo], (id) => [k(id === 'acme' ? acme.publicJwk : zoll.publicJwk)]);
      expect(kept.declarations).toHaveLength(1);
      expect(kept.certificates).toHaveLength(1);
    }
  });

  it('a key revoked after the signing leaves what it signed standing, superseded or compromised', async () => {
    const dos = await declaration('dos-1', -10);
    for (const reason of ['superseded', 'retired', 'compromised'] as const) {
      const standing = standingFacts([dos], [], () => [key(acme.publicJwk, { from: at(-2), reason })]);
      expect(
        standing.declarations.map((d) => d.declarationId),
        reason,
      ).toEqual(['dos-1']);
      expect(statusOf(standing), reason).toBe('credible');
    }
  });

  it('a compromised key: a declaration that reached the exchange after the compromise falls, however it is dated', async () => {
    // Stated as signed on day -10, received on day -3: the thief had the key from day -5.
    const backdated = await declaration('dos-1', -10, -3);
    const compromised = standingFacts([backdated], [], () => [
      key(acme.publicJwk, { from: at(-5), reason: 'compromised' }),
    ]);
    expect(compromised.declarations).toEqual([]);
    // The same key merely superseded on day -5: its holder's stated time is believed.
    const superseded = standingFacts([backdated], [], () => [
      key(acme.publicJwk, { from: at(-5), reason: 'superseded' }),
    ]);
    expect(superseded.declarations.map((d) => d.declarationId)).toEqual(['dos-1']);
  });

  it('a fallen declaration supersedes nothing: the one it claimed to replace is in force again', async () => {
    const original = await declaration('dos-1', -30);
    const forged = await declaration('dos-2', -3, -3, 'dos-1');
    const keys = () => [key(acme.publicJwk, { from: at(-5), reason: 'compromised' })];
    const standing = standingFacts([original, forged], [], keys);
    expect(standing.declarations.map((d) => d.declarationId)).toEqual(['dos-1']);
    expect(statusOf(standing)).toBe('credible');
  });

  it("an attestation signed with an issuer's key compromised from before its signing exempts no one", async () => {
    const aeo = await attested(-30);
    const keysOf = (revocation?: Parameters<typeof key>[1]) => (partyId: string) =>
      partyId === 'zoll' ? [key(zoll.publicJwk, revocation)] : [key(acme.publicJwk)];
    const before = standingFacts([], [aeo], keysOf());
    expect(evaluate(facts(before), policy, catalogues, now)).toMatchObject({
      status: 'exempt',
      clauses: ['4.4(c)'],
    });
    const superseded = standingFacts([], [aeo], keysOf({ from: at(-1), reason: 'superseded' }));
    expect(statusOf(superseded)).toBe('exempt');
    const compromised = standingFacts([], [aeo], keysOf({ from: at(-31), reason: 'compromised' }));
    expect(compromised.certificates).toEqual([]);
    expect(statusOf(compromised)).toBe('declaration-required');
    // Received on day -2, after a compromise from day -10, though stated as signed on day -30.
    const late = standingFacts(
      [],
      [await attested(-30, -2)],
      keysOf({ from: at(-10), reason: 'compromised' }),
    );
    expect(late.certificates).toEqual([]);
  });

  it('claims carry no signature, and signers not known (yet) leave signatures standing', async () => {
    const aeo = await attested(-30);
    const { attestation: _a, issuer: _i, ...rest } = aeo.certificate;
    const claim: CertificateDoc = { ...aeo, certificate: { ...rest, trust: 'claimed', issuerName: 'Zoll' } };
    const revoked = () => [key(zoll.publicJwk, { from: at(-100), reason: 'compromised' })];
    expect(standingFacts([], [claim], revoked).certificates).toHaveLength(1);
    const dos = await declaration('dos-1', -10);
    expect(standingFacts([dos], [aeo], () => undefined)).toMatchObject({
      declarations: [{ declarationId: 'dos-1' }],
      certificates: [{ certificateId: aeo.id }],
    });
    // A revoked key of another kid says nothing about this signature.
    const other = (await generateSigningKey('EdDSA', 'acme-2')).publicJwk;
    expect(
      standingFacts([dos], [], () => [key(other, { from: at(-100), reason: 'compromised' })]).declarations,
    ).toHaveLength(1);
  });
});

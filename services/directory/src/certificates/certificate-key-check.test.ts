import type { Certificate, KeyState, PublicJwk } from '@pdx/contracts';
import { ATTESTATION_TYP, generateSigningKey, signCompact } from '@pdx/crypto';
import type { CertificateDoc } from '@pdx/read-models';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyCheckNow } from './certificate-key-check.js';

let zoll: PublicJwk;
let doc: CertificateDoc;
beforeAll(async () => {
  const signer = await generateSigningKey('EdDSA', 'zoll-1');
  zoll = signer.publicJwk;
  const certificate: Certificate = {
    certificateId: 'eu-aeo-aeos~00000000000000000001',
    schemeId: 'eu-aeo-aeos',
    number: 'DE AEOS 4711/27',
    holder: 'acme',
    trust: 'attested',
    issuer: 'zoll',
    scope: { functions: ['warehouse'] },
    validFrom: '2026-01-01T00:00:00.000Z',
    state: 'active',
    attestation: {
      jws: await signCompact('{"number":"DE AEOS 4711/27"}', signer.privateJwk, ATTESTATION_TYP),
      issuedAt: '2027-05-01T00:00:00.000Z',
      contentHash: 'h'.repeat(43),
    },
    confirmations: [],
    version: 1,
  };
  doc = {
    id: certificate.certificateId,
    holder: 'acme',
    certificate,
    attestationReceivedAt: '2027-05-01T00:00:05.000Z',
  };
});
const key = (revokedFrom?: string, reason?: KeyState['revocationReason']): KeyState => ({
  jwk: zoll,
  addedAt: '2026-01-01T00:00:00.000Z',
  ...(revokedFrom ? { revokedFrom, revokedAt: '2027-06-01T00:00:00.000Z', revocationReason: reason } : {}),
});

describe("a certificate's key check, with the issuer's keys now", () => {
  it('is VALID while the key stands or was revoked after the attestation', () => {
    expect(keyCheckNow(doc, [key()])).toEqual({ check: 'key-valid-at-signing-time', status: 'VALID' });
    expect(keyCheckNow(doc, [key('2027-05-02T00:00:00.000Z', 'superseded')])?.status).toBe('VALID');
  });

  it('says why the certificate grounds nothing once the key is compromised from before it', () => {
    const check = keyCheckNow(doc, [key('2027-04-01T00:00:00.000Z', 'compromised')]);
    expect(check).toMatchObject({ status: 'INVALID', code: 'PDX_KEY_REVOKED' });
    expect(check?.detail).toContain('key "zoll-1" is revoked (compromised) from 2027-04-01T00:00:00.000Z');
    // Stated as signed before a compromise from 1 May 00:00:03, but received after it.
    expect(keyCheckNow(doc, [key('2027-05-01T00:00:03.000Z', 'compromised')])).toMatchObject({
      status: 'INVALID',
      code: 'PDX_KEY_REVOKED',
    });
  });

  it('is absent for a claim and when the issuer is not known here', () => {
    expect(keyCheckNow(doc, undefined)).toBeUndefined();
    const { attestation: _a, ...claim } = doc.certificate;
    expect(keyCheckNow({ ...doc, certificate: { ...claim, trust: 'claimed' } }, [key()])).toBeUndefined();
  });

  it('INVALID with PDX_KEY_NOT_FOR_SIGNING when the issuer key is for authentication only', () => {
    expect(keyCheckNow(doc, [{ ...key(), purposes: ['authentication'] }])).toMatchObject({
      check: 'key-valid-at-signing-time',
      status: 'INVALID',
      code: 'PDX_KEY_NOT_FOR_SIGNING',
    });
    expect(keyCheckNow(doc, [{ ...key(), purposes: ['authentication', 'signing'] }])?.status).toBe('VALID');
  });
});

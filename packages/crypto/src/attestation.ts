import {
  type CertificateAttestation,
  checkValidityWindow,
  type ErrorCode,
  isInstant,
  type PdxError,
  type SchemaRegistry,
} from '@pdx/contracts';
import { checkKeyAtSigningTime, checkSignature, type KeyRecord, parseCompactJws } from './jws.js';
import { buildReport, type CheckResult, refuse, type VerificationReport } from './verification-report.js';

/** Explicit type of a certificate attestation JWS (RFC 8725 §3.11). */
export const ATTESTATION_TYP = 'pdx-certificate+jws';

/** What verification needs to know of the party an attestation names as its issuer. */
export interface AttestationIssuer {
  partyId: string;
  keys: readonly KeyRecord[];
  /** Registered with the role issuer. */
  isIssuer: boolean;
  /** The schemes it is registered to attest. */
  schemes: readonly string[];
}

/** A content rule beyond the JSON Schema (the scheme exists, its number format…). */
export interface ContentViolation {
  code: ErrorCode;
  pointer: string;
  detail: string;
}

export interface AttestationPolicy {
  /** Milliseconds since the epoch. */
  now: number;
  /** How far ahead validFrom may be. */
  maxAheadMs: number;
  /** Tolerated clock difference for issuedAt. */
  skewMs: number;
  /** Checked with the schema step, after the JSON Schema passed. */
  checkContent?: (attestation: CertificateAttestation) => ContentViolation | undefined;
}

export interface VerifiedAttestation {
  jws: string;
  attestation: CertificateAttestation;
  issuedAt: number;
  report: VerificationReport;
}

const invalid = (check: CheckResult['check'], code: ErrorCode, detail: string): CheckResult => ({
  check,
  status: 'INVALID',
  code,
  detail,
});

/**
 * Verifies an issuer's certificate attestation in the fixed order of named steps: signature
 * (with a key of the party the payload names as issuer, which must be registered as an
 * issuer), key valid at signing time, schema and content rules, issuer authorised for the
 * scheme, validity window. Throws VerificationRefused at the first failure.
 */
export async function verifyAttestation(
  jws: string,
  lookupIssuer: (partyId: string) => Promise<AttestationIssuer | undefined>,
  registry: SchemaRegistry,
  policy: AttestationPolicy,
): Promise<VerifiedAttestation> {
  const results: CheckResult[] = [];

  // 1. signature. The payload is read before it is authentic only to learn whose keys to use.
  let parsed: ReturnType<typeof parseCompactJws>;
  try {
    parsed = parseCompactJws(jws, { typ: ATTESTATION_TYP, maxHeaderBytes: 1024 });
  } catch (error) {
    const e = error as PdxError;
    refuse(results, invalid('signature', e.code, e.message));
  }
  let payload: unknown;
  try {
    payload = JSON.parse(parsed.payload.toString('utf8'));
  } catch {
    payload = undefined;
  }
  const named = (payload as { issuer?: unknown } | undefined)?.issuer;
  if (typeof named !== 'string' || named.length === 0) {
    refuse(
      results,
      invalid(
        'signature',
        'PDX_CERTIFICATE_INVALID',
        'the attestation names no issuer, so no key can verify it',
      ),
      [{ pointer: '/issuer', detail: 'is required' }],
    );
  }
  const issuer = await lookupIssuer(named);
  if (!issuer?.isIssuer) {
    refuse(
      results,
      invalid(
        'signature',
        'PDX_ISSUER_UNKNOWN',
        issuer ? `${named} is not registered with the role issuer` : `no party ${named} is registered`,
      ),
      [{ pointer: '/issuer', detail: 'must be a party registered with the role issuer' }],
    );
  }
  const key = issuer.keys.find((k) => k.jwk.kid === parsed.header.kid);
  if (!key) {
    // Signed with some other party's key (or an unknown one): the named issuer did not sign it.
    refuse(
      results,
      invalid(
        'signature',
        'PDX_ATTESTATION_NOT_BY_ISSUER',
        `kid "${String(parsed.header.kid)}" is not a key of the issuer ${named}`,
      ),
    );
  }
  const signature = await checkSignature(parsed, key);
  if (signature.status !== 'VALID') refuse(results, signature);
  results.push(signature);

  // 2. key valid at signing time (issuedAt as stated by the issuer).
  const stated = (payload as { issuedAt?: unknown }).issuedAt;
  const issuedAt = typeof stated === 'string' && isInstant(stated) ? Date.parse(stated) : Number.NaN;
  if (Number.isNaN(issuedAt)) {
    refuse(
      results,
      invalid(
        'key-valid-at-signing-time',
        'PDX_CERTIFICATE_INVALID',
        'issuedAt is missing or not an RFC 3339 instant, so the signing time is unknown',
      ),
      [{ pointer: '/issuedAt', detail: 'must be an RFC 3339 date-time with a zone' }],
    );
  }
  const keyCheck = checkKeyAtSigningTime(key, issuedAt);
  if (keyCheck.status !== 'VALID') refuse(results, keyCheck);
  results.push(keyCheck);

  // 3. schema, then the content rules of the catalogue.
  const violations = registry.check('urn:pdx:schema:api:certificate-attestation.v1', payload);
  if (violations.length > 0) {
    const first = violations[0]!;
    refuse(
      results,
      invalid('schema', 'PDX_CERTIFICATE_INVALID', `${first.pointer || '/'} ${first.detail}`),
      violations,
    );
  }
  const attestation = payload as CertificateAttestation;
  const content = policy.checkContent?.(attestation);
  if (content) {
    refuse(results, invalid('schema', content.code, content.detail), [
      { pointer: content.pointer, detail: content.detail },
    ]);
  }
  results.push({ check: 'schema', status: 'VALID' });

  // 4. issuer: registered to attest this scheme.
  if (!issuer.schemes.includes(attestation.schemeId)) {
    refuse(
      results,
      invalid(
        'issuer',
        'PDX_ISSUER_SCHEME_MISMATCH',
        `${issuer.partyId} is not registered as an issuer of ${attestation.schemeId}`,
      ),
      [{ pointer: '/schemeId', detail: `not among the schemes ${issuer.partyId} is registered to attest` }],
    );
  }
  results.push({ check: 'issuer', status: 'VALID' });

  // 5. validity window.
  const window = checkValidityWindow(
    {
      from: { at: attestation.validFrom, pointer: '/validFrom' },
      ...(attestation.validUntil === undefined
        ? {}
        : { until: { at: attestation.validUntil, pointer: '/validUntil' } }),
      issuedAt: { at: issuedAt, pointer: '/issuedAt' },
    },
    policy.now,
    policy,
  );
  if (window) {
    refuse(results, invalid('validity-window', window.code, window.detail), [
      { pointer: window.pointer, detail: window.detail },
    ]);
  }
  results.push({ check: 'validity-window', status: 'VALID' });

  const report = buildReport(results);
  if (report.verdict !== 'VALID') throw new TypeError('verification ended without a VALID verdict');
  return { jws, attestation, issuedAt, report };
}

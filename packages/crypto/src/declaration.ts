import {
  checkValidityWindow,
  type DeclarationOfSecurity,
  isInstant,
  type PdxError,
  type SchemaRegistry,
} from '@pdx/contracts';
import { checkKeyAtSigningTime, checkSignature, type KeyRecord, parseCompactJws } from './jws.js';
import { buildReport, type CheckResult, refuse, type VerificationReport } from './verification-report.js';

/** Explicit type of a declaration JWS (RFC 8725 §3.11): a token cannot pass as one. */
export const DECLARATION_TYP = 'pdx-declaration+jws';

export interface DeclarationPolicy {
  /** Milliseconds since the epoch. */
  now: number;
  /** How far ahead validity may begin. */
  maxAheadMs: number;
  /** Tolerated clock difference for issuedAt. */
  skewMs: number;
}

export interface VerifiedDeclaration {
  jws: string;
  declaration: DeclarationOfSecurity;
  report: VerificationReport;
}

/**
 * Verifies a submitted declaration in a fixed order of named steps — signature (with the
 * submitting party's key named by kid), key valid at signing time, schema, issuer, validity
 * window — and returns the report, or throws VerificationRefused at the first failure with
 * the report so far (later checks SKIPPED).
 */
export async function verifyDeclaration(
  jws: string,
  signer: { partyId: string; keys: readonly KeyRecord[] },
  registry: SchemaRegistry,
  policy: DeclarationPolicy,
): Promise<VerifiedDeclaration> {
  const results: CheckResult[] = [];

  // 1. signature: strict parsing and header policy, then the signature itself.
  let parsed: ReturnType<typeof parseCompactJws>;
  try {
    parsed = parseCompactJws(jws, { typ: DECLARATION_TYP, maxHeaderBytes: 1024 });
  } catch (error) {
    const e = error as PdxError;
    refuse(results, { check: 'signature', status: 'INVALID', code: e.code, detail: e.message });
  }
  const key = signer.keys.find((k) => k.jwk.kid === parsed.header.kid);
  const signature = await checkSignature(parsed, key);
  if (signature.status !== 'VALID') refuse(results, signature);
  results.push(signature);

  // The payload is authentic from here on, but not yet known to be a declaration.
  let payload: unknown;
  try {
    payload = JSON.parse(parsed.payload.toString('utf8'));
  } catch {
    payload = undefined;
  }
  const statedIssuedAt = (payload as { issuedAt?: unknown } | undefined)?.issuedAt;
  const issuedAt =
    typeof statedIssuedAt === 'string' && isInstant(statedIssuedAt) ? Date.parse(statedIssuedAt) : Number.NaN;

  // 2. key valid at signing time (issuedAt as stated by the signer).
  if (Number.isNaN(issuedAt)) {
    refuse(
      results,
      {
        check: 'key-valid-at-signing-time',
        status: 'INVALID',
        code: 'PDX_DECLARATION_INVALID',
        detail: 'issuedAt is missing or not an RFC 3339 instant, so the signing time is unknown',
      },
      [{ pointer: '/issuedAt', detail: 'must be an RFC 3339 date-time with a zone' }],
    );
  }
  const keyCheck = checkKeyAtSigningTime(key!, issuedAt);
  if (keyCheck.status !== 'VALID') refuse(results, keyCheck);
  results.push(keyCheck);

  // 3. schema, with pointers into the payload.
  const violations =
    payload === undefined
      ? [{ pointer: '', detail: 'the payload is not JSON' }]
      : registry.check('urn:pdx:schema:api:declaration-of-security.v1', payload);
  if (violations.length > 0) {
    const first = violations[0]!;
    refuse(
      results,
      {
        check: 'schema',
        status: 'INVALID',
        code: 'PDX_DECLARATION_INVALID',
        detail: `${first.pointer || '/'} ${first.detail}`,
      },
      violations,
    );
  }
  results.push({ check: 'schema', status: 'VALID' });
  const declaration = payload as DeclarationOfSecurity;

  // 4. issuer: a party submits only as itself, signed with its own key.
  if (declaration.issuer !== signer.partyId) {
    refuse(
      results,
      {
        check: 'issuer',
        status: 'INVALID',
        code: 'PDX_ISSUER_MISMATCH',
        detail: `issuer is ${declaration.issuer}, the submitting party is ${signer.partyId}`,
      },
      [{ pointer: '/issuer', detail: 'must be the submitting party' }],
    );
  }
  results.push({ check: 'issuer', status: 'VALID' });

  // 5. validity window.
  const window = checkValidityWindow(
    {
      from: { at: declaration.validity.from, pointer: '/validity/from' },
      until: { at: declaration.validity.until, pointer: '/validity/until' },
      issuedAt: { at: issuedAt, pointer: '/issuedAt' },
    },
    policy.now,
    policy,
  );
  if (window) {
    refuse(
      results,
      { check: 'validity-window', status: 'INVALID', code: window.code, detail: window.detail },
      [{ pointer: window.pointer, detail: window.detail }],
    );
  }
  results.push({ check: 'validity-window', status: 'VALID' });

  const report = buildReport(results);
  // Defence in depth: nothing leaves this function as verified unless every check passed.
  if (report.verdict !== 'VALID') throw new TypeError('verification ended without a VALID verdict');
  return { jws, declaration, report };
}

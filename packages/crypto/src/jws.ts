import { createPublicKey } from 'node:crypto';
import { type KeyPurpose, keyAllows, PdxError, type PublicJwk } from '@pdx/contracts';
import { type CryptoKey, compactVerify, importJWK } from 'jose';
import { decodeBase64urlStrict } from './base64url.js';
import type { CheckResult } from './verification-report.js';

export type SignatureAlgorithm = 'EdDSA' | 'ES256';

/** The algorithm each accepted key type signs with (RFC 8037, RFC 7518 §3.4). */
export function algorithmFor(jwk: Pick<PublicJwk, 'kty' | 'crv'>): SignatureAlgorithm {
  if (jwk.kty === 'OKP' && jwk.crv === 'Ed25519') return 'EdDSA';
  if (jwk.kty === 'EC' && jwk.crv === 'P-256') return 'ES256';
  throw new TypeError(`unsupported key ${jwk.kty}/${jwk.crv}`);
}

/** A party's key as the exchange knows it. */
export interface KeyRecord {
  jwk: PublicJwk;
  /** When the key was registered (ISO 8601). */
  addedAt: string;
  /**
   * What the exchange accepts the key for; absent: both (every key registered before purposes
   * existed). A key for `authentication` only gets access tokens but signs nothing the party asserts.
   */
  purposes?: KeyPurpose[];
  /** Signatures made at or after this instant are refused; earlier ones stay valid. */
  revokedFrom?: string;
  /** Why it was revoked: the holder of a compromised key can state any signing time. */
  revocationReason?: 'compromised' | 'superseded' | 'retired';
}

export interface JwsPolicy {
  /**
   * The `typ` header the object must carry (explicit typing, RFC 8725 §3.11), or the values
   * it may carry (`undefined` among them: none at all).
   */
  typ: string | readonly (string | undefined)[];
  /** Largest accepted encoded protected header. */
  maxHeaderBytes?: number;
}

const ALLOWED_ALGS: ReadonlySet<string> = new Set(['EdDSA', 'ES256']);
// Header parameters by which a JWS would bring its own key or a pointer to one. A verifier
// that honours them verifies against the attacker's key (RFC 8725 §3.10).
const KEY_HEADERS = ['jwk', 'jku', 'x5u', 'x5c', 'x5t', 'x5t#S256'] as const;

export interface DecodedJws {
  compact: string;
  header: Record<string, unknown>;
  payload: Buffer;
  signature: Buffer;
}

/** A decoded JWS whose header passed the policy. */
export interface ParsedJws extends DecodedJws {
  header: Record<string, unknown> & { alg: SignatureAlgorithm; kid: string; typ?: string };
}

const malformed = (detail: string) => new PdxError('PDX_JWS_MALFORMED', detail);

/**
 * Step 0: the compact serialization, strictly: three parts, each canonical unpadded
 * base64url, a bounded protected header that is a JSON object.
 */
export function decodeCompactJws(compact: string, maxHeaderBytes = 1024): DecodedJws {
  if (typeof compact !== 'string') throw malformed('a JWS is a string');
  const parts = compact.split('.');
  if (parts.length !== 3)
    throw malformed(`a compact JWS has 3 parts separated by ".", this has ${parts.length}`);
  const [h, p, s] = parts as [string, string, string];
  if (h.length > maxHeaderBytes) {
    throw new PdxError(
      'PDX_JWS_HEADER_TOO_LARGE',
      `protected header is ${h.length} bytes encoded; at most ${maxHeaderBytes}`,
    );
  }
  const names = ['protected header', 'payload', 'signature'];
  const decoded = [h, p, s].map((part, i) => {
    // An empty signature is reported after the header policy, so `alg: none` gets its own code.
    if (part.length === 0 && i === 0) throw malformed(`the ${names[i]} is empty`);
    const bytes = decodeBase64urlStrict(part);
    if (!bytes)
      throw new PdxError('PDX_JWS_BASE64URL_INVALID', `the ${names[i]} is not canonical unpadded base64url`);
    return bytes;
  }) as [Buffer, Buffer, Buffer];

  let header: unknown;
  try {
    header = JSON.parse(decoded[0].toString('utf8'));
  } catch {
    throw malformed('the protected header is not JSON');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw malformed('the protected header is not a JSON object');
  }
  return { compact, header: header as Record<string, unknown>, payload: decoded[1], signature: decoded[2] };
}

/**
 * Steps 0 and 1: decode strictly, then apply the header policy. Each refusal has its own
 * code. jose would accept some of these (a padded part, `b64` with `crit`), so they are
 * checked here, before jose sees the token.
 */
export function parseCompactJws(compact: string, policy: JwsPolicy): ParsedJws {
  const decoded = decodeCompactJws(compact, policy.maxHeaderBytes);
  const hdr = decoded.header;
  if (typeof hdr.alg !== 'string' || !ALLOWED_ALGS.has(hdr.alg)) {
    throw new PdxError(
      'PDX_JWS_ALG_NOT_ALLOWED',
      `alg ${JSON.stringify(hdr.alg)} is not allowed; use EdDSA or ES256`,
    );
  }
  for (const name of KEY_HEADERS) {
    if (Object.hasOwn(hdr, name)) {
      throw new PdxError(
        'PDX_JWS_EMBEDDED_KEY',
        `header parameter "${name}" is refused: keys come only from the party's registered JWKS`,
      );
    }
  }
  if (Object.hasOwn(hdr, 'crit')) {
    throw new PdxError(
      'PDX_JWS_CRIT_UNSUPPORTED',
      `crit ${JSON.stringify(hdr.crit)}: no critical header extension is understood`,
    );
  }
  if (Object.hasOwn(hdr, 'b64')) {
    throw new PdxError(
      'PDX_JWS_B64_UNSUPPORTED',
      'header parameter "b64" is refused: the payload must be base64url-encoded',
    );
  }
  const typOk =
    typeof policy.typ === 'string'
      ? hdr.typ === policy.typ
      : (hdr.typ === undefined || typeof hdr.typ === 'string') && policy.typ.includes(hdr.typ);
  if (!typOk) {
    const wanted = typeof policy.typ === 'string' ? [policy.typ] : policy.typ;
    throw new PdxError(
      'PDX_JWS_TYP_INVALID',
      `typ must be ${wanted.map((t) => (t === undefined ? 'absent' : `"${t}"`)).join(' or ')}, got ${JSON.stringify(hdr.typ)}`,
    );
  }
  if (typeof hdr.kid !== 'string' || hdr.kid.length === 0) {
    throw new PdxError('PDX_KEY_UNKNOWN', 'the header has no kid naming the signing key');
  }
  if (decoded.signature.length === 0) throw malformed('the signature is empty');
  return { ...decoded, header: hdr as ParsedJws['header'] };
}

// Imported keys by their public coordinates: stores hand out fresh objects on every read, and
// importing a key (and converting a KeyObject for WebCrypto on every call) costs about as much
// as verifying with it. Bounded; cleared when full.
const keyCache = new Map<string, Promise<CryptoKey>>();
function importedKey(jwk: PublicJwk, alg: SignatureAlgorithm): Promise<CryptoKey> {
  const id = `${jwk.kty}|${jwk.crv}|${jwk.x}|${jwk.y ?? ''}|${alg}`;
  let key = keyCache.get(id);
  if (!key) {
    // createPublicKey validates the point (throws for one off the curve) before jose imports it.
    createPublicKey({ key: { ...jwk }, format: 'jwk' });
    key = importJWK({ ...jwk, alg }, alg) as Promise<CryptoKey>;
    if (keyCache.size >= 10_000) keyCache.clear();
    keyCache.set(id, key);
    key.catch(() => keyCache.delete(id));
  }
  return key;
}

/**
 * Step 2: the signature, with the one key the kid names, and only with that key's own
 * algorithm (so a key cannot be used with an algorithm it was not registered for).
 */
export async function checkSignature(parsed: DecodedJws, key: KeyRecord | undefined): Promise<CheckResult> {
  if (!key) {
    return {
      check: 'signature',
      status: 'INVALID',
      code: 'PDX_KEY_UNKNOWN',
      detail: `no key "${String(parsed.header.kid)}"`,
    };
  }
  const alg = algorithmFor(key.jwk);
  if (parsed.header.alg !== alg) {
    return {
      check: 'signature',
      status: 'INVALID',
      code: 'PDX_JWS_ALG_NOT_ALLOWED',
      detail: `key "${key.jwk.kid}" signs with ${alg}, the header says ${String(parsed.header.alg)}`,
    };
  }
  let publicKey: CryptoKey;
  try {
    publicKey = await importedKey(key.jwk, alg);
  } catch (error) {
    return {
      check: 'signature',
      status: 'ERROR',
      code: 'PDX_KEY_UNKNOWN',
      detail: `key does not import: ${String(error)}`,
    };
  }
  try {
    await compactVerify(parsed.compact, publicKey, { algorithms: [alg] });
    return { check: 'signature', status: 'VALID' };
  } catch {
    return {
      check: 'signature',
      status: 'INVALID',
      code: 'PDX_SIGNATURE_INVALID',
      detail: 'the signature does not verify',
    };
  }
}

/**
 * Step 3: was the key valid when the signature was made? First, is it a key the party
 * registered for signing at all: a sign-in key handed to staff or the console (purposes
 * `["authentication"]`) must not make a declaration or an attestation the party answers for,
 * whenever it was signed (purposes never change, so this holds for every recheck too).
 * Then: a signature made before the key's revocation took effect stays valid (the detail says
 * the key is revoked since).
 *
 * `receivedAt`, when known, is when the exchange first received the signature. It matters
 * for a key revoked as compromised from T: whoever stole the key can state any signing time,
 * so a signature that reached the exchange at or after T counts for nothing, whatever time
 * it states; the receipt is the one time the signer does not choose. A key superseded or
 * retired was still in its holder's hands, so the time it states is believed.
 */
export function checkKeyAtSigningTime(key: KeyRecord, signedAt: number, receivedAt?: number): CheckResult {
  if (!keyAllows(key, 'signing')) {
    return {
      check: 'key-valid-at-signing-time',
      status: 'INVALID',
      code: 'PDX_KEY_NOT_FOR_SIGNING',
      detail: `key "${key.jwk.kid}" is registered for ${key.purposes!.join(', ')} only, not for signing: sign with a key registered for signing`,
    };
  }
  if (key.revokedFrom === undefined) return { check: 'key-valid-at-signing-time', status: 'VALID' };
  const revokedFrom = Date.parse(key.revokedFrom);
  const why = key.revocationReason === undefined ? '' : ` (${key.revocationReason})`;
  if (signedAt >= revokedFrom) {
    return {
      check: 'key-valid-at-signing-time',
      status: 'INVALID',
      code: 'PDX_KEY_REVOKED',
      detail: `key "${key.jwk.kid}" is revoked${why} from ${key.revokedFrom}; signed at ${new Date(signedAt).toISOString()}`,
    };
  }
  if (key.revocationReason === 'compromised' && receivedAt !== undefined && receivedAt >= revokedFrom) {
    return {
      check: 'key-valid-at-signing-time',
      status: 'INVALID',
      code: 'PDX_KEY_REVOKED',
      detail: `key "${key.jwk.kid}" is compromised from ${key.revokedFrom}; this signature reached the exchange at ${new Date(receivedAt).toISOString()}, after that, so the signing time it states (${new Date(signedAt).toISOString()}) proves nothing`,
    };
  }
  return {
    check: 'key-valid-at-signing-time',
    status: 'VALID',
    detail: `signed at ${new Date(signedAt).toISOString()}, before the key's revocation${why} from ${key.revokedFrom}`,
  };
}

/**
 * The key step again, for a signature the exchange accepted earlier, against the signer's
 * keys as they are now: a revocation recorded since may reach back before the signature.
 * Undefined when no key of `keys` has the signature's kid (nothing is known against it).
 */
export function recheckSigningKey(
  jws: string,
  keys: readonly KeyRecord[],
  signedAt: number,
  receivedAt?: number,
): CheckResult | undefined {
  const kid = decodeCompactJws(jws).header.kid;
  const key = keys.find((k) => k.jwk.kid === kid);
  return key && checkKeyAtSigningTime(key, signedAt, receivedAt);
}

import type { MessageKey } from './messages.js';

/** `typ` of a client assertion (the exchange's CLIENT_ASSERTION_TYP). */
export const CLIENT_ASSERTION_TYP = 'client-authentication+jwt';
/** How long a client assertion lives: one use, right away. */
export const ASSERTION_LIFETIME_SECONDS = 60;

export type Algorithm = 'EdDSA' | 'ES256';

/** A refusal in words: the catalogue key and its values. */
export class ConsoleError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly values: Record<string, string | number> = {},
  ) {
    super(key);
  }
}

/** A key file read: the private JWK members WebCrypto needs, its kid and algorithm. */
export interface KeyFile {
  kid: string;
  alg: Algorithm;
  jwk: JsonWebKey;
}

/** Reads a key file as `pdx keygen` writes it: a private JWK, Ed25519 or P-256, with a kid. */
export function parseKeyFile(text: string): KeyFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConsoleError('error.keyFile.json');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ConsoleError('error.keyFile.json');
  const jwk = value as Record<string, unknown>;
  const str = (name: string) => (typeof jwk[name] === 'string' ? (jwk[name] as string) : undefined);
  let alg: Algorithm;
  if (str('kty') === 'OKP' && str('crv') === 'Ed25519') alg = 'EdDSA';
  else if (str('kty') === 'EC' && str('crv') === 'P-256') alg = 'ES256';
  else throw new ConsoleError('error.keyFile.kind');
  if (!str('d')) throw new ConsoleError('error.keyFile.notPrivate');
  const kid = str('kid');
  if (!kid) throw new ConsoleError('error.keyFile.kid');
  // Only the key material: WebCrypto refuses a JWK whose alg, use or key_ops it reads otherwise.
  const members = alg === 'EdDSA' ? ['kty', 'crv', 'x', 'd'] : ['kty', 'crv', 'x', 'y', 'd'];
  return {
    kid,
    alg,
    jwk: Object.fromEntries(members.map((m) => [m, jwk[m]])) as JsonWebKey,
  };
}

const algorithmOf = (alg: Algorithm) =>
  alg === 'EdDSA' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };

/** The key as a NON-extractable WebCrypto key for signing: the page can sign, never read it back. */
export async function importSigningKey(file: KeyFile): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey('jwk', file.jwk, algorithmOf(file.alg), false, ['sign']);
  } catch (error) {
    throw new ConsoleError('error.keyFile.import', { reason: (error as Error).message });
  }
}

export const base64url = (bytes: Uint8Array): string => {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const encodeJson = (value: unknown) => base64url(new TextEncoder().encode(JSON.stringify(value)));

/** The types of the documents the console signs (the exchange's DECLARATION_TYP, ATTESTATION_TYP). */
export const DECLARATION_TYP = 'pdx-declaration+jws';
export const ATTESTATION_TYP = 'pdx-certificate+jws';

/** A key ready to sign: the non-extractable CryptoKey, its algorithm and kid. */
export interface Signer {
  key: CryptoKey;
  alg: Algorithm;
  kid: string;
}

/**
 * A compact JWS of `payload` (a JSON value, serialized with JSON.stringify, or the exact text
 * to sign) with `alg`, `kid` and `typ` in the protected header. WebCrypto's ECDSA signature is
 * already the r‖s form JWS uses (RFC 7518 §3.4).
 */
export async function signCompact(payload: unknown, signer: Signer, typ: string): Promise<string> {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const header = { alg: signer.alg, kid: signer.kid, typ };
  const input = `${encodeJson(header)}.${base64url(new TextEncoder().encode(text))}`;
  const params = signer.alg === 'EdDSA' ? { name: 'Ed25519' } : { name: 'ECDSA', hash: 'SHA-256' };
  const signature = await crypto.subtle.sign(params, signer.key, new TextEncoder().encode(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

/** A key file's text, read and imported for one act: the Signer (its private members are not kept). */
export async function signerFromFile(text: string): Promise<Signer> {
  const file = parseKeyFile(text);
  return { key: await importSigningKey(file), alg: file.alg, kid: file.kid };
}

/** A random jti: 128 bits, base64url. */
export function randomJti(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(16)));
}

export interface AssertionOptions {
  key: CryptoKey;
  alg: Algorithm;
  kid: string;
  /** The party (or operator) id: iss and sub. */
  clientId: string;
  /** The issuer from the authorization server metadata. */
  audience: string;
  /** Milliseconds since the epoch. */
  now: number;
  jti?: string;
}

/**
 * A client assertion (RFC 7523 §3, private_key_jwt): iss = sub = the party id, aud = the
 * issuer, a minute to live, a random jti, signed as a compact JWS with kid in the header.
 */
export async function signClientAssertion(options: AssertionOptions): Promise<string> {
  const iat = Math.floor(options.now / 1000);
  const claims = {
    iss: options.clientId,
    sub: options.clientId,
    aud: options.audience,
    iat,
    exp: iat + ASSERTION_LIFETIME_SECONDS,
    jti: options.jti ?? randomJti(),
  };
  return signCompact(claims, options, CLIENT_ASSERTION_TYP);
}

/** When to renew a token that lives `expiresIn` seconds: a minute before it ends, or at 80% of a short one. */
export function renewDelayMs(expiresIn: number): number {
  const seconds = expiresIn > 300 ? expiresIn - 60 : expiresIn * 0.8;
  return Math.max(1, Math.floor(seconds * 1000));
}

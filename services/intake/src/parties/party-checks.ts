import { createPublicKey } from 'node:crypto';
import { type PartyRegistration, PdxError, type PublicJwk, pointer } from '@pdx/contracts';
import type { Catalogues } from '@pdx/schemes';

// RFC 7517/7518: members that only private (or symmetric) keys have. A registration must
// never carry them: the exchange would then hold a secret that lets it sign as the party.
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

/**
 * Step 1, before the schema: refuse private key material with its own code, so an operator
 * who pasted a private JWK learns that, not merely that `d` is an unexpected property.
 */
export function checkNoPrivateKeyMaterial(body: unknown): void {
  const keys = (body as { jwks?: { keys?: unknown } } | null)?.jwks?.keys;
  if (!Array.isArray(keys)) return;
  keys.forEach((key, i) => {
    checkJwkIsPublic(key, ['jwks', 'keys', i]);
  });
}

/** The same check for a body that is one JWK. */
export function checkJwkIsPublic(key: unknown, at: (string | number)[] = []): void {
  if (key === null || typeof key !== 'object') return;
  for (const member of PRIVATE_MEMBERS) {
    if (Object.hasOwn(key, member)) {
      throw new PdxError(
        'PDX_PRIVATE_KEY_MATERIAL',
        `the key contains the private member "${member}": register public keys only and keep the private key with the party`,
        { pointer: pointer(...at, member) },
      );
    }
  }
}

const PURPOSES: readonly string[] = ['authentication', 'signing'];

/**
 * Also before the schema, with its own code and the pointer of the very entry at fault: a
 * key's `purposes`, when given, name at least one purpose, each once, each known. (Absent
 * means both; an empty list would be a key for nothing, and a typo must not silently
 * widen or narrow what a key may do.)
 */
export function checkKeyPurposes(key: unknown, at: (string | number)[] = []): void {
  if (key === null || typeof key !== 'object' || !Object.hasOwn(key, 'purposes')) return;
  const purposes: unknown = (key as { purposes: unknown }).purposes;
  const refuse = (detail: string, ...tail: (string | number)[]): never => {
    throw new PdxError('PDX_KEY_PURPOSES_INVALID', detail, { pointer: pointer(...at, 'purposes', ...tail) });
  };
  if (!Array.isArray(purposes)) {
    refuse('purposes is a list of "authentication" and/or "signing"; leave it out for both');
    return;
  }
  if (purposes.length === 0) {
    refuse('purposes is empty: a key for nothing cannot be used; leave it out for both');
  }
  purposes.forEach((purpose: unknown, i: number) => {
    if (typeof purpose !== 'string' || !PURPOSES.includes(purpose)) {
      refuse(`${JSON.stringify(purpose)} is not a purpose: use "authentication" or "signing"`, i);
    }
    const first = purposes.indexOf(purpose);
    if (first !== i) refuse(`"${String(purpose)}" is listed twice (entries ${first} and ${i})`, i);
  });
}

/** checkKeyPurposes for each key of a registration's JWKS. */
export function checkRegisteredKeyPurposes(body: unknown): void {
  const keys = (body as { jwks?: { keys?: unknown } } | null)?.jwks?.keys;
  if (!Array.isArray(keys)) return;
  keys.forEach((key, i) => {
    checkKeyPurposes(key, ['jwks', 'keys', i]);
  });
}

/** Step 3: every key is a usable public key (a point on its curve), and kids are unique. */
export function checkKeysUsable(registration: PartyRegistration): void {
  const seen = new Map<string, number>();
  registration.jwks.keys.forEach((jwk, i) => {
    const previous = seen.get(jwk.kid);
    if (previous !== undefined) {
      throw new PdxError('PDX_JWK_INVALID', `kid "${jwk.kid}" is used by keys ${previous} and ${i}`, {
        pointer: pointer('jwks', 'keys', i, 'kid'),
      });
    }
    seen.set(jwk.kid, i);
    checkKeyUsable(jwk, ['jwks', 'keys', i]);
  });
}

/** The key is a real public key: its point lies on its curve. */
export function checkKeyUsable(jwk: PublicJwk, at: (string | number)[] = []): void {
  const { purposes: _, ...key } = jwk;
  try {
    createPublicKey({ key, format: 'jwk' });
  } catch (error) {
    throw new PdxError('PDX_JWK_INVALID', `key "${jwk.kid}" is not a valid ${jwk.crv} public key`, {
      pointer: pointer(...at, 'x'),
      cause: error,
    });
  }
}

/** ISO 17442 / ISO 7064 MOD 97-10: letters count as 10..35, the whole number mod 97 is 1. */
export function isValidLei(lei: string): boolean {
  if (!/^[A-Z0-9]{18}[0-9]{2}$/.test(lei)) return false;
  let remainder = 0;
  for (const ch of lei) {
    const digits = /[0-9]/.test(ch) ? ch : String(ch.charCodeAt(0) - 55);
    for (const d of digits) remainder = (remainder * 10 + Number(d)) % 97;
  }
  return remainder === 1;
}

/** Step 3: identifiers pass their check digits; one value per scheme. */
export function checkIdentifiers(registration: PartyRegistration): void {
  const seen = new Set<string>();
  (registration.identifiers ?? []).forEach((id, i) => {
    if (id.scheme === 'LEI' && !isValidLei(id.value)) {
      throw new PdxError('PDX_IDENTIFIER_INVALID', `LEI ${id.value} fails its ISO 7064 check digits`, {
        pointer: pointer('identifiers', i, 'value'),
      });
    }
    const key = `${id.scheme}:${id.value}`;
    if (seen.has(key)) {
      throw new PdxError('PDX_IDENTIFIER_INVALID', `${id.scheme} ${id.value} is listed twice`, {
        pointer: pointer('identifiers', i),
      });
    }
    seen.add(key);
  });
}

// Codes that ICU names but that are not countries of establishment: the EU, the Eurozone,
// the UN, "Unknown Region", outlying Oceania and pseudo-locales.
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'ZZ', 'QO', 'XA', 'XB']);
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** ISO 3166-1 alpha-2, as known to the runtime's ICU data. */
export function isCountryCode(code: string): boolean {
  return /^[A-Z]{2}$/.test(code) && !NOT_COUNTRIES.has(code) && regionNames.of(code) !== undefined;
}

export function checkCountry(registration: PartyRegistration): void {
  if (!isCountryCode(registration.country)) {
    throw new PdxError(
      'PDX_COUNTRY_UNKNOWN',
      `${registration.country} is not an ISO 3166-1 alpha-2 country code`,
      {
        pointer: '/country',
      },
    );
  }
}

/** Step 3 as a whole: the checks a schema cannot express, in a fixed order. */
export function checkRegistration(registration: PartyRegistration): void {
  checkCountry(registration);
  checkIdentifiers(registration);
  checkKeysUsable(registration);
}

/** An issuer names the schemes it attests, each in the catalogue; no other party names any. */
export function checkIssuerSchemes(registration: PartyRegistration, catalogues: Catalogues): void {
  const isIssuer = registration.roles.includes('issuer');
  if (isIssuer !== (registration.issuerOf !== undefined)) {
    throw new PdxError(
      'PDX_REQUEST_INVALID',
      isIssuer
        ? 'a party with the role issuer lists the schemes it attests in issuerOf'
        : 'issuerOf is only for a party with the role issuer',
      { pointer: '/issuerOf' },
    );
  }
  (registration.issuerOf ?? []).forEach((schemeId, i) => {
    if (!catalogues.byId.has(schemeId)) {
      throw new PdxError('PDX_SCHEME_UNKNOWN', `${schemeId} is not in the scheme catalogue`, {
        pointer: pointer('issuerOf', i),
      });
    }
  });
}

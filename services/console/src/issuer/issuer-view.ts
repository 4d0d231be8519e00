import { PartyIdSchema } from '@pdx/contracts/schemas';
import type { Schemas } from '../api.js';
import { ConsoleError } from '../keys.js';
import { type MessageKey, t } from '../messages.js';
import {
  type IdentifierScheme,
  identifierSchemes,
  type PartyRole,
  type Purpose,
  partyRoles,
  type ServiceFunction,
  serviceFunctions,
} from '../vocabulary.js';

/**
 * The issuer's and the operator's pages, as pure logic (no DOM): the attestation an issuer
 * signs, the party an operator registers, the public key a party adds, the words and order of
 * the lists. Each check returns messages by the JSON pointer of the request member it is about,
 * so they show next to the same fields as the exchange's problems.
 */

export type CertificateView = Schemas['CertificateView'];
export type EffectiveState = CertificateView['effectiveState'];
export type PublicJwk = Schemas['PublicJwks']['keys'][number];
export type KeyState = Schemas['KeyState'];
type Errors = Partial<Record<string, string>>;

const stateSet: Record<EffectiveState, true> = {
  active: true,
  pending: true,
  suspended: true,
  expired: true,
  withdrawn: true,
};
/** The states in the order the filter lists them. */
export const effectiveStates = Object.keys(stateSet) as EffectiveState[];

export const PARTY_ID = new RegExp(PartyIdSchema.pattern);
const SCHEME_ID = PARTY_ID;
const UNLOCODE = /^[A-Z]{2}[A-Z2-9]{3}$/;
const COUNTRY = /^[A-Z]{2}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Words separated by commas, spaces or new lines, each once, in order. */
export function splitList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean))];
}

/** A date input's value (`2026-03-01`) as the instant it begins in UTC. */
export function dayStart(date: string): string {
  return `${date}T00:00:00.000Z`;
}

// ── The attestation an issuer signs ──

export interface AttestationInput {
  schemeId: string;
  holder: string;
  number: string;
  functions: readonly ServiceFunction[];
  sites: string;
  validFrom: string;
  validUntil: string;
  tier: string;
}

/** The payload of the attestation JWS (urn:pdx:schema:api:certificate-attestation.v1). */
export interface AttestationPayload {
  schemeId: string;
  number: string;
  holder: string;
  issuer: string;
  scope: Schemas['CertificateScope'];
  validFrom: string;
  validUntil?: string;
  tier?: string;
  issuedAt: string;
}

/** What the console can tell before signing: a missing or malformed field, dates in the wrong order. */
export function checkAttestation(input: AttestationInput, schemes: readonly string[]): Errors {
  const found: Errors = {};
  if (!input.schemeId) found['/schemeId'] = t('issuer.error.scheme');
  else if (!schemes.includes(input.schemeId)) found['/schemeId'] = t('issuer.error.schemeNotYours');
  const holder = input.holder.trim();
  if (!holder) found['/holder'] = t('form.required');
  else if (!PARTY_ID.test(holder)) found['/holder'] = t('error.partyId.pattern');
  if (!input.number.trim()) found['/number'] = t('form.required');
  else if (input.number.trim().length > 100) found['/number'] = t('issuer.error.numberLong');
  if (input.functions.length === 0) found['/scope/functions'] = t('issuer.error.functions');
  const bad = splitList(input.sites.toUpperCase()).filter((s) => !UNLOCODE.test(s));
  if (bad.length > 0) found['/scope/sites'] = t('issuer.error.sites', { sites: bad.join(', ') });
  if (!DATE.test(input.validFrom)) found['/validFrom'] = t('issuer.error.date');
  if (input.validUntil && !DATE.test(input.validUntil)) found['/validUntil'] = t('issuer.error.date');
  else if (input.validUntil && DATE.test(input.validFrom) && input.validUntil <= input.validFrom)
    found['/validUntil'] = t('issuer.error.untilBeforeFrom');
  if (input.tier.length > 50) found['/tier'] = t('issuer.error.tierLong');
  return found;
}

/** The attestation `issuer` signs at `now` (milliseconds): empty optional fields left out. */
export function attestationPayload(input: AttestationInput, issuer: string, now: number): AttestationPayload {
  const sites = splitList(input.sites.toUpperCase());
  const tier = input.tier.trim();
  return {
    schemeId: input.schemeId,
    number: input.number.trim(),
    holder: input.holder.trim(),
    issuer,
    scope: {
      functions: serviceFunctions.filter((f) => input.functions.includes(f)),
      ...(sites.length > 0 ? { sites } : {}),
    },
    validFrom: dayStart(input.validFrom),
    ...(input.validUntil ? { validUntil: dayStart(input.validUntil) } : {}),
    ...(tier ? { tier } : {}),
    issuedAt: new Date(now).toISOString(),
  };
}

/**
 * Where a refused attestation's message goes when the problem has no pointer: a refusal of
 * the signature or of the key next to the key file, the rest at the top of the form.
 */
export function fieldOfCode(code: string): string | undefined {
  if (/^PDX_(JWS_|KEY_|SIGNATURE_)/.test(code) || code === 'PDX_ATTESTATION_NOT_BY_ISSUER') return '/key';
  return undefined;
}

// ── The list of what an issuer attested ──

/** Counts of the certificates in each state, in effectiveStates order, zeros left out. */
export function countByState(views: readonly CertificateView[]): { state: EffectiveState; count: number }[] {
  return effectiveStates
    .map((state) => ({ state, count: views.filter((v) => v.effectiveState === state).length }))
    .filter((c) => c.count > 0);
}

/** What the issuer may do with a certificate now: suspend an active one, reinstate a suspended one, withdraw either. */
export function actionsFor(view: CertificateView): ('suspension' | 'reinstatement' | 'withdrawal')[] {
  const state = view.certificate.state;
  if (state === 'active') return ['suspension', 'withdrawal'];
  if (state === 'suspended') return ['reinstatement', 'withdrawal'];
  return [];
}

/** The reason given for a status change: required, at most 500 characters. */
export function checkReason(reason: string): string | undefined {
  if (!reason.trim()) return t('issuer.error.reason');
  if (reason.length > 500) return t('issuer.error.reasonLong');
  return undefined;
}

// ── Public keys (the operator's party form, a party's sign-in keys) ──

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

/**
 * The public keys in a file as `pdx keygen` prints them (a JWKS `{"keys": [...]}`) or a single
 * public JWK. A file with any private member is refused here, before anything is sent: the
 * private key stays with its owner.
 */
export function parsePublicKeys(text: string): PublicJwk[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConsoleError('error.keyFile.json');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new ConsoleError('issuer.error.publicKey.shape');
  const keys = Array.isArray((value as { keys?: unknown }).keys)
    ? ((value as { keys: unknown[] }).keys as unknown[])
    : [value];
  if (keys.length === 0) throw new ConsoleError('issuer.error.publicKey.empty');
  for (const key of keys) {
    if (key === null || typeof key !== 'object' || Array.isArray(key))
      throw new ConsoleError('issuer.error.publicKey.shape');
    const jwk = key as Record<string, unknown>;
    if (PRIVATE_MEMBERS.some((m) => m in jwk)) throw new ConsoleError('issuer.error.publicKey.private');
    const okp = jwk.kty === 'OKP' && jwk.crv === 'Ed25519';
    const ec = jwk.kty === 'EC' && jwk.crv === 'P-256';
    if (!okp && !ec) throw new ConsoleError('error.keyFile.kind');
    if (typeof jwk.kid !== 'string' || jwk.kid === '') throw new ConsoleError('error.keyFile.kid');
  }
  return keys as PublicJwk[];
}

/** A key's purposes in words; absent means both. */
export function purposesText(purposes: readonly Purpose[] | undefined): string {
  return (purposes ?? ['authentication', 'signing'])
    .map((p) => t(`keys.purpose.${p}` as MessageKey))
    .join(', ');
}

export type KeyCondition = 'active' | 'revoked' | 'revoking';

/** Whether a key is in use at `now`: revoked once its revokedFrom has come, revoking before. */
export function keyCondition(key: KeyState, now: number): KeyCondition {
  if (key.revokedFrom === undefined) return 'active';
  return Date.parse(key.revokedFrom) <= now ? 'revoked' : 'revoking';
}

/** The keys as the page lists them: those in use first, then by when they were added, newest first. */
export function sortKeys(keys: readonly KeyState[], now: number): KeyState[] {
  const rank = (k: KeyState) => (keyCondition(k, now) === 'revoked' ? 1 : 0);
  return [...keys].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      Date.parse(b.addedAt) - Date.parse(a.addedAt) ||
      a.jwk.kid.localeCompare(b.jwk.kid),
  );
}

/** The list after a key was added or revoked: the answer's key replaces the one of the same kid. */
export function withKey(keys: readonly KeyState[], changed: KeyState): KeyState[] {
  return [...keys.filter((k) => k.jwk.kid !== changed.jwk.kid), changed];
}

/** The algorithm of a public JWK, in the exchange's terms. */
export const algorithmOf = (jwk: PublicJwk): string => jwk.alg ?? (jwk.kty === 'OKP' ? 'EdDSA' : 'ES256');

// ── The operator's party form ──

export interface PartyInput {
  partyId: string;
  legalName: string;
  country: string;
  roles: readonly PartyRole[];
  identifiers: string;
  issuerOf: string;
  keys: readonly PublicJwk[] | null;
}

/**
 * Identifiers as the form takes them, one a line: the scheme, then the value
 * (`EORI DE123456789012345`). Each bad line gets its message under `/identifiers/<i>`.
 */
export function parseIdentifiers(text: string): {
  identifiers: Schemas['PartyIdentifier'][];
  errors: Errors;
} {
  const identifiers: Schemas['PartyIdentifier'][] = [];
  const errors: Errors = {};
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  lines.forEach((line, i) => {
    const [scheme = '', ...rest] = line.split(/\s+/);
    const value = rest.join(' ');
    const upper = scheme.toUpperCase() as IdentifierScheme;
    if (!identifierSchemes.includes(upper) || !value)
      errors['/identifiers'] ??= t('parties.error.identifier', {
        line: i + 1,
        schemes: identifierSchemes.join(', '),
      });
    else identifiers.push({ scheme: upper, value });
  });
  return { identifiers, errors };
}

/** What the console can tell before sending a registration. */
export function checkParty(input: PartyInput): Errors {
  const found: Errors = {};
  const id = input.partyId.trim();
  if (!id) found['/partyId'] = t('form.required');
  else if (!PARTY_ID.test(id)) found['/partyId'] = t('error.partyId.pattern');
  if (!input.legalName.trim()) found['/legalName'] = t('form.required');
  if (!COUNTRY.test(input.country.trim().toUpperCase())) found['/country'] = t('parties.error.country');
  if (input.roles.length === 0) found['/roles'] = t('parties.error.roles');
  Object.assign(found, parseIdentifiers(input.identifiers).errors);
  const schemes = splitList(input.issuerOf);
  if (input.roles.includes('issuer') && schemes.length === 0)
    found['/issuerOf'] = t('parties.error.issuerOf');
  else if (!input.roles.includes('issuer') && schemes.length > 0)
    found['/issuerOf'] = t('parties.error.issuerOfNotIssuer');
  else if (schemes.some((s) => !SCHEME_ID.test(s))) found['/issuerOf'] = t('parties.error.schemeId');
  if (!input.keys) found['/jwks'] = t('parties.error.jwks');
  return found;
}

/** The body of POST /v1/parties. */
export function partyRegistration(input: PartyInput): Schemas['PartyRegistration'] {
  const { identifiers } = parseIdentifiers(input.identifiers);
  const schemes = splitList(input.issuerOf);
  return {
    partyId: input.partyId.trim(),
    legalName: input.legalName.trim(),
    country: input.country.trim().toUpperCase(),
    roles: partyRoles.filter((r) => input.roles.includes(r)),
    ...(identifiers.length > 0 ? { identifiers } : {}),
    ...(input.roles.includes('issuer') ? { issuerOf: schemes } : {}),
    // The generated type lists the schema's $defs as a member; the body has only the keys.
    jwks: { keys: [...(input.keys ?? [])] } as Schemas['PartyRegistration']['jwks'],
  };
}

import { PdxError, type PublicJwks } from '@pdx/contracts';
import {
  AUTH_TOKEN_TYP,
  checkSignature,
  type KeyRecord,
  MAX_TOKEN_LIFETIME_SECONDS,
  parseCompactJws,
} from '@pdx/crypto';
import type { Clock, Logger } from '@pdx/runtime';
import type { Collection, DocumentStore } from '@pdx/store';
import type { FastifyReply, FastifyRequest } from 'fastify';

export type Principal = { kind: 'operator'; id: string } | { kind: 'party'; id: string };

/** Where the keys of a principal come from. */
export interface KeyDirectory {
  /** The keys registered for this party id (revoked ones included), or undefined if unknown. */
  keysOf(partyId: string): Promise<readonly KeyRecord[] | undefined>;
}

/** Remembers token ids until they expire, so each token is used once. */
export interface ReplayGuard {
  /** True the first time (issuer, jti) is seen; false if it was seen before. */
  claim(issuer: string, jti: string, expiresAt: number): Promise<boolean>;
}

export interface Operator {
  id: string;
  jwks: PublicJwks;
}

export interface AuthOptions {
  /** The exchange's identifier, which tokens must name in `aud`. */
  audience: string;
  operators: readonly Operator[];
  parties: KeyDirectory;
  replay: ReplayGuard;
  clock: Clock;
  /** Tolerated clock difference with the caller, in seconds. */
  clockSkewSeconds?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    /** The caller's registered keys as authentication read them, so routes need not read them again. */
    principalKeys?: readonly KeyRecord[];
  }
}

function invalid(detail: string, cause?: unknown): PdxError {
  return new PdxError('PDX_AUTH_TOKEN_INVALID', detail, { cause });
}

/**
 * Authenticates a request from its bearer token, following RFC 8725: explicit `typ`, only
 * EdDSA/ES256, the key named by `kid` among the issuer's registered keys (never one the token
 * brings), `aud` = this exchange, a lifetime of at most five minutes, and a `jti` that is
 * accepted once. Operators are recognised by their configured ids and keys.
 */
export async function authenticate(
  authorization: string | undefined,
  options: AuthOptions,
): Promise<Principal> {
  return (await authenticateWithKeys(authorization, options)).principal;
}

async function authenticateWithKeys(
  authorization: string | undefined,
  options: AuthOptions,
): Promise<{ principal: Principal; keys: readonly KeyRecord[] }> {
  const match = /^Bearer ([^\s]+)$/i.exec(authorization ?? '');
  if (!match)
    throw new PdxError('PDX_AUTH_REQUIRED', 'send Authorization: Bearer <token> (see `pdx token --help`)');
  const token = match[1]!;

  let parsed: ReturnType<typeof parseCompactJws>;
  try {
    parsed = parseCompactJws(token, { typ: AUTH_TOKEN_TYP, maxHeaderBytes: 512 });
  } catch (error) {
    const e = error as PdxError;
    throw invalid(`${e.code}: ${e.message}`, error);
  }
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(parsed.payload.toString('utf8')) as Record<string, unknown>;
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims))
      throw new Error('not an object');
  } catch (error) {
    throw invalid('the token claims are not a JSON object', error);
  }
  const { iss, aud, exp, iat, nbf, jti } = claims;
  if (typeof iss !== 'string' || iss.length === 0) throw invalid('iss (your party id) is required');
  if (typeof jti !== 'string' || jti.length < 8 || jti.length > 128)
    throw invalid('jti is required: 8 to 128 characters, unique per token');
  if (typeof iat !== 'number' || typeof exp !== 'number')
    throw invalid('iat and exp are required (seconds since the epoch)');

  const now = options.clock.now() / 1000;
  const skew = options.clockSkewSeconds ?? 30;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(options.audience)) {
    throw new PdxError('PDX_AUTH_AUDIENCE_INVALID', `aud must be "${options.audience}"`);
  }
  if (exp - iat > MAX_TOKEN_LIFETIME_SECONDS) {
    throw new PdxError(
      'PDX_AUTH_LIFETIME_TOO_LONG',
      `exp - iat is ${exp - iat} s; at most ${MAX_TOKEN_LIFETIME_SECONDS}`,
    );
  }
  if (now > exp + skew)
    throw new PdxError('PDX_AUTH_EXPIRED', `the token expired at ${new Date(exp * 1000).toISOString()}`);
  if (iat > now + skew) throw invalid('iat is in the future');
  if (typeof nbf === 'number' && nbf > now + skew) throw invalid('the token is not valid yet (nbf)');

  const operator = options.operators.find((o) => o.id === iss);
  const keys: readonly KeyRecord[] | undefined = operator
    ? operator.jwks.keys.map((jwk) => ({ jwk, addedAt: '1970-01-01T00:00:00Z' }))
    : await options.parties.keysOf(iss);
  if (!keys) throw invalid(`no party or operator "${iss}"`);
  const key = keys.find((k) => k.jwk.kid === parsed.header.kid);
  const signature = await checkSignature(parsed, key);
  if (signature.status !== 'VALID') throw invalid(`${signature.code}: ${signature.detail ?? 'signature'}`);
  if (key?.revokedFrom !== undefined && Date.parse(key.revokedFrom) <= now * 1000) {
    throw invalid(`PDX_KEY_REVOKED: key "${key.jwk.kid}" is revoked since ${key.revokedFrom}`);
  }
  // Last, so that a refused token does not use up its jti.
  if (!(await options.replay.claim(iss, jti, (exp + skew) * 1000))) {
    throw new PdxError('PDX_AUTH_REPLAYED', `token ${jti} was already used`);
  }
  return { principal: operator ? { kind: 'operator', id: iss } : { kind: 'party', id: iss }, keys };
}

/** A fastify preHandler that authenticates and sets `request.principal`. */
export function requireAuthentication(options: AuthOptions) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      const { principal, keys } = await authenticateWithKeys(request.headers.authorization, options);
      request.principal = principal;
      request.principalKeys = keys;
    } catch (error) {
      reply.header('www-authenticate', `Bearer realm="${options.audience}"`);
      throw error;
    }
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new TypeError('route has no authentication preHandler');
  return request.principal;
}

/** Only operators. */
export function assertOperator(principal: Principal): void {
  if (principal.kind !== 'operator') throw new PdxError('PDX_FORBIDDEN', 'only an operator may do this');
}

/** The party itself, or an operator acting for it. */
export function assertSelfOrOperator(principal: Principal, partyId: string): void {
  if (principal.kind === 'operator' || principal.id === partyId) return;
  throw new PdxError('PDX_FORBIDDEN', `party ${principal.id} may not act for ${partyId}`);
}

interface SeenToken {
  id: string;
  /** Minute of expiry: pruning walks past minutes with equality filters only. */
  bucket: number;
}

/**
 * The replay guard on a service's own store: one document per (issuer, jti), removed a
 * minute after the token expired (a token cannot be used after its expiry anyway).
 */
export async function storeReplayGuard(
  store: DocumentStore,
  clock: Clock,
  logger: Logger,
): Promise<ReplayGuard & { prune(): Promise<number>; stop(): void }> {
  const seen: Collection<SeenToken> = await store.collection<SeenToken>({
    name: 'auth_seen_tokens',
    indexes: [{ fields: ['bucket'] }],
  });
  const minute = (ms: number) => Math.floor(ms / 60_000);
  // Tokens live at most 5 minutes plus skew: buckets older than this window are all expired.
  let prunedUpTo = minute(clock.now()) - 30;
  const prune = async () => {
    const current = minute(clock.now());
    let removed = 0;
    for (let b = prunedUpTo + 1; b < current; b++) {
      for (const doc of await seen.find({ bucket: b })) if (await seen.delete(doc.id)) removed++;
      prunedUpTo = b;
    }
    return removed;
  };
  const timer = setInterval(() => {
    prune().catch((error: unknown) => logger.warn({ err: error }, 'pruning seen tokens failed'));
  }, 60_000);
  timer.unref();
  return {
    async claim(issuer, jti, expiresAt) {
      return (await seen.insert({ id: `${issuer} ${jti}`, bucket: minute(expiresAt) })) === 'inserted';
    },
    prune,
    stop: () => clearInterval(timer),
  };
}

/**
 * Everything a service needs to authenticate callers against its own data: the replay
 * guard in its store and a preHandler. `stop()` ends the guard's pruning.
 */
export async function serviceAuthentication(options: {
  auth: { audience: string; operators: readonly Operator[]; clockSkewSeconds: number };
  keysOf: KeyDirectory['keysOf'];
  store: DocumentStore;
  clock: Clock;
  logger: Logger;
}): Promise<{ authenticate: ReturnType<typeof requireAuthentication>; stop(): void }> {
  const replay = await storeReplayGuard(options.store, options.clock, options.logger);
  const authenticate = requireAuthentication({
    ...options.auth,
    clock: options.clock,
    replay,
    parties: { keysOf: options.keysOf },
  });
  return { authenticate, stop: replay.stop };
}

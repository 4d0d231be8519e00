import { createHash } from 'node:crypto';
import { PdxError, type PublicJwk, type PublicJwks } from '@pdx/contracts';
import { algorithmFor, parseCompactJws } from '@pdx/crypto';
import { type Clock, type Logger, RuntimeError } from '@pdx/runtime';
import type { Collection, DocumentStore } from '@pdx/store';
import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import {
  type CryptoKey,
  createRemoteJWKSet,
  importJWK,
  type JWTPayload,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';

/** Who is calling, as the access token names it. */
export interface Principal {
  kind: 'operator' | 'party';
  id: string;
  /** The party's roles when the token was issued (operators: none). */
  roles: readonly string[];
}

/**
 * Who may call a route, declared in its options as `config: { access }`:
 * - `public`: anybody, no token (health, JWKS, metadata, the token endpoint);
 * - `authenticated`: any party or operator with a valid access token;
 * - `party`: a party's token (an operator is refused with PDX_ROLE_REQUIRED);
 * - `operator`: an operator's token (a party is refused with PDX_FORBIDDEN).
 * Finer checks (the party itself, a linked buyer) are the handler's.
 */
export type Access = 'public' | 'authenticated' | 'party' | 'operator';
export const ACCESS_VALUES: readonly Access[] = ['public', 'authenticated', 'party', 'operator'];

/** `typ` of an access token (RFC 9068 §2.1). */
export const ACCESS_TOKEN_TYP = 'at+jwt';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this route; required on every route (see Access). */
    access?: Access;
    /** The setting that raises this route's own body limit (null: fixed), for the 413's detail. */
    bodyLimitSetting?: string | null;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface Operator {
  id: string;
  jwks: PublicJwks;
}

/** Checks an access token and says whose it is. */
export interface AccessTokenVerifier {
  verify(token: string): Promise<Principal>;
}

export interface AccessTokenVerifierOptions {
  /** The issuer the tokens must name (`iss`): the exchange's public URL. */
  issuer: () => string;
  /** The exchange id the tokens must name in `aud`. */
  audience: string;
  /** Token-signing public keys this process has itself (the exchange key). */
  keys: readonly PublicJwk[];
  /** Where to fetch the exchange's token-signing keys (a JWKS), for kids not among `keys`. */
  jwksUrl?: string | undefined;
  clock: Clock;
  clockSkewSeconds: number;
  /** Verified tokens remembered by hash until they expire. Default 10 000. */
  cacheSize?: number;
}

const invalid = (detail: string, cause?: unknown) =>
  new PdxError('PDX_AUTH_TOKEN_INVALID', detail, { cause });

/**
 * Access tokens (RFC 9068) verified by RFC 8725: `typ` at+jwt, alg EdDSA or ES256 only, no key
 * carried in the header, `kid` among the exchange's token-signing keys, `iss` the issuer, `aud`
 * the exchange id, exp/nbf/iat with the clock skew. No database is read or written: a verified
 * token is remembered by its hash until it expires (a bounded cache, cleared when full).
 */
export async function accessTokenVerifier(options: AccessTokenVerifierOptions): Promise<AccessTokenVerifier> {
  const local = new Map<string, { key: CryptoKey; alg: string }>();
  for (const jwk of options.keys) {
    const alg = algorithmFor(jwk);
    local.set(jwk.kid, { key: (await importJWK({ ...jwk, alg }, alg)) as CryptoKey, alg });
  }
  const remote = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl), {
        // A kid it does not know yet (a rotated key) refetches, at most every 30 s.
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
        timeoutDuration: 5_000,
      })
    : undefined;
  const getKey: JWTVerifyGetKey = async (header, token) => {
    const own = local.get(String(header.kid));
    if (own) {
      if (own.alg !== header.alg)
        throw invalid(`key "${header.kid}" signs with ${own.alg}, the header says ${String(header.alg)}`);
      return own.key;
    }
    if (remote) {
      try {
        return await remote(header, token);
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ERR_JWKS_NO_MATCHING_KEY' || code === 'ERR_JWKS_MULTIPLE_MATCHING_KEYS') throw error;
        // Unreachable, timed out, not a JWKS: the keys are unavailable, the token may be fine.
        throw new PdxError(
          'PDX_AUTH_KEYS_UNAVAILABLE',
          `the exchange's JWKS could not be read: ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
    throw new PdxError('PDX_AUTH_KEY_UNKNOWN', `no token-signing key "${String(header.kid)}"`);
  };
  const cacheSize = options.cacheSize ?? 10_000;
  const cache = new Map<string, { principal: Principal; exp: number }>();
  const skew = options.clockSkewSeconds;
  return {
    async verify(token) {
      const now = options.clock.now() / 1000;
      const hash = createHash('sha256').update(token).digest('base64url');
      const hit = cache.get(hash);
      if (hit) {
        if (now <= hit.exp + skew) return hit.principal;
        cache.delete(hash);
      }
      try {
        parseCompactJws(token, { typ: ACCESS_TOKEN_TYP, maxHeaderBytes: 512 });
      } catch (error) {
        throw invalid(
          `${(error as PdxError).code ?? 'PDX_JWS_MALFORMED'}: ${(error as Error).message}`,
          error,
        );
      }
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          algorithms: ['EdDSA', 'ES256'],
          typ: ACCESS_TOKEN_TYP,
          issuer: options.issuer(),
          audience: options.audience,
          clockTolerance: skew,
          currentDate: new Date(options.clock.now()),
          requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat', 'jti'],
        }));
      } catch (error) {
        throw fromJose(error, options);
      }
      const principal = principalFrom(payload);
      if (cache.size >= cacheSize) cache.clear();
      cache.set(hash, { principal, exp: payload.exp! });
      return principal;
    },
  };
}

function fromJose(error: unknown, options: AccessTokenVerifierOptions): PdxError {
  if (error instanceof PdxError) return error;
  const e = error as Error & { code?: string; claim?: string };
  switch (e.code) {
    case 'ERR_JWT_EXPIRED':
      return new PdxError('PDX_AUTH_EXPIRED', 'the access token has expired: get a new one', { cause: e });
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (e.claim === 'aud')
        return new PdxError('PDX_AUTH_AUDIENCE_INVALID', `aud must be "${options.audience}"`, { cause: e });
      if (e.claim === 'iss')
        return new PdxError('PDX_AUTH_ISSUER_INVALID', `iss must be "${options.issuer()}"`, { cause: e });
      return invalid(`${e.claim ?? 'a claim'}: ${e.message}`, e);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new PdxError('PDX_AUTH_SIGNATURE_INVALID', 'the access token signature does not verify', {
        cause: e,
      });
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return new PdxError('PDX_AUTH_KEY_UNKNOWN', 'no token-signing key of the exchange has this kid', {
        cause: e,
      });
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JOSE_GENERIC':
    case 'ERR_JWKS_INVALID':
      return new PdxError(
        'PDX_AUTH_KEYS_UNAVAILABLE',
        `the exchange's JWKS could not be read: ${e.message}`,
        {
          cause: e,
        },
      );
    default:
      return invalid(e.message, e);
  }
}

function principalFrom(payload: JWTPayload): Principal {
  const kind = payload.pdx_kind;
  if (kind !== 'party' && kind !== 'operator') throw invalid('pdx_kind must be "party" or "operator"');
  const roles = payload.roles ?? [];
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string'))
    throw invalid('roles must be an array of strings');
  if (typeof payload.client_id !== 'string' || payload.client_id !== payload.sub)
    throw invalid('client_id must be the subject');
  return { kind, id: payload.sub!, roles: roles as string[] };
}

/** The bearer token of an Authorization header (RFC 6750 §2.1). */
function bearerOf(authorization: string | undefined): string {
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(authorization ?? '');
  if (!match)
    throw new PdxError(
      'PDX_AUTH_REQUIRED',
      'send Authorization: Bearer <access token> (POST /oauth/token gives one; see `pdx token`)',
    );
  return match[1]!;
}

export interface AuthPluginOptions {
  /** Undefined where the process has no way to check tokens: then only public routes may be registered. */
  verifier: AccessTokenVerifier | undefined;
  /** Why there is no verifier, for the refusal at registration. */
  missingVerifier?: string;
  /** The realm named in WWW-Authenticate. */
  realm: string;
}

/**
 * Authentication for every route of a fastify instance: each route states who may call it
 * (`config: { access }`); one without is refused at registration (fail closed). For all but
 * public routes, the bearer access token is verified before anything else and the principal
 * set as `request.principal`; a refusal is a 401 problem with `WWW-Authenticate: Bearer`
 * (RFC 6750 §3), a token of the wrong kind a 403. Registered once, before the routes.
 */
export async function authPlugin(app: FastifyInstance, options: AuthPluginOptions): Promise<void> {
  app.decorateRequest('principal', undefined);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access === undefined || !ACCESS_VALUES.includes(access)) {
      throw new TypeError(
        `route ${String(route.method)} ${route.url} declares no access: set config.access to ${ACCESS_VALUES.join(', ')}`,
      );
    }
    if (access === 'public') return;
    const verifier = options.verifier;
    if (!verifier) {
      // The configuration gave this process no keys to check tokens with.
      throw new RuntimeError(
        'PDX_CONFIG_INVALID',
        `route ${String(route.method)} ${route.url} needs access tokens checked, and ${options.missingVerifier ?? 'no verifier is configured'}`,
      );
    }
    const check: onRequestHookHandler = async (request, reply) => {
      try {
        request.principal = await verifier.verify(bearerOf(request.headers.authorization));
      } catch (error) {
        const code = error instanceof PdxError ? error.code : undefined;
        if (code === 'PDX_AUTH_REQUIRED') reply.header('www-authenticate', `Bearer realm="${options.realm}"`);
        else if (code !== 'PDX_AUTH_KEYS_UNAVAILABLE')
          reply.header(
            'www-authenticate',
            `Bearer realm="${options.realm}", error="invalid_token", error_description="${code ?? 'invalid'}"`,
          );
        throw error;
      }
      if (access === 'operator' && request.principal.kind !== 'operator')
        throw new PdxError('PDX_FORBIDDEN', 'only an operator may do this');
      if (access === 'party' && request.principal.kind !== 'party')
        throw new PdxError('PDX_ROLE_REQUIRED', 'only a party may do this, with its own token');
    };
    const existing = route.onRequest;
    route.onRequest =
      existing === undefined ? [check] : [check, ...(Array.isArray(existing) ? existing : [existing])];
  });
}
// Like fastify-plugin: the hooks apply to the instance it is registered on, not to a child.
(authPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new TypeError('route is public: it has no principal');
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

/** Remembers token ids until they expire, so each client assertion is used once. */
export interface ReplayGuard {
  /** True the first time (issuer, jti) is seen; false if it was seen before. */
  claim(issuer: string, jti: string, expiresAt: number): Promise<boolean>;
}

interface SeenToken {
  id: string;
  /** Minute of expiry: pruning walks past minutes with equality filters only. */
  bucket: number;
}

/**
 * The replay guard on a service's own store: one document per (issuer, jti), removed a
 * minute after the assertion expired (it cannot be used after its expiry anyway).
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
  // Assertions live at most 5 minutes plus skew: buckets older than this window are all expired.
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

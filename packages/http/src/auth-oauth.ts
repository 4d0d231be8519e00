import { randomUUID } from 'node:crypto';
import { type ErrorCode, errorCatalog, PdxError } from '@pdx/contracts';
import {
  CLIENT_ASSERTION_TYP,
  checkSignature,
  type ExchangeSigner,
  JWT_BEARER_ASSERTION_TYPE,
  type KeyRecord,
  MAX_ASSERTION_LIFETIME_SECONDS,
  parseCompactJws,
} from '@pdx/crypto';
import type { Clock } from '@pdx/runtime';
import { SignJWT } from 'jose';
import { ACCESS_TOKEN_TYP, type Operator, type Principal, type ReplayGuard } from './auth.js';

/** The token endpoint's path, and the metadata's (RFC 8414 §3). */
export const TOKEN_PATH = '/oauth/token';
export const METADATA_PATH = '/.well-known/oauth-authorization-server';

/** The error a token endpoint refusal carries (RFC 6749 §5.2), by pdx code. */
const oauthErrorOf: Partial<Record<ErrorCode, string>> = {
  PDX_OAUTH_REQUEST_INVALID: 'invalid_request',
  PDX_OAUTH_GRANT_UNSUPPORTED: 'unsupported_grant_type',
  PDX_OAUTH_SCOPE_INVALID: 'invalid_scope',
  PDX_ASSERTION_INVALID: 'invalid_client',
  PDX_ASSERTION_EXPIRED: 'invalid_client',
  PDX_ASSERTION_AUDIENCE_INVALID: 'invalid_client',
  PDX_ASSERTION_TOO_LONG: 'invalid_client',
  PDX_ASSERTION_REPLAYED: 'invalid_client',
  PDX_CLIENT_UNKNOWN: 'invalid_client',
  PDX_CLIENT_KEY_UNKNOWN: 'invalid_client',
  PDX_CLIENT_KEY_REVOKED: 'invalid_client',
  PDX_CLIENT_KEY_NOT_FOR_AUTH: 'invalid_client',
  PDX_CLIENT_SIGNATURE_INVALID: 'invalid_client',
};

/**
 * The RFC 6749 §5.2 body of a token endpoint refusal, with the pdx `code` beside it: 401 for
 * `invalid_client` (the client failed to authenticate), 400 for every other error. Undefined
 * for an error that is not the client's (a 5xx stays a problem).
 */
export function oauthError(error: unknown): { status: number; body: Record<string, string> } | undefined {
  const e = error as { statusCode?: number; code?: string; message: string };
  // A PdxError's message may be written for operators (a StoreError's): it says its public detail.
  let code = error instanceof PdxError ? error.code : undefined;
  let description = error instanceof PdxError ? error.publicDetail : e.message;
  if (code === undefined || oauthErrorOf[code] === undefined) {
    const status = code ? errorCatalog[code].status : e.statusCode;
    if (status === undefined || status === null || status >= 500) return undefined;
    // Anything else the request got wrong (media type, size, syntax) is an invalid request.
    description = `${code ?? e.code ?? 'request'}: ${description}`;
    code = 'PDX_OAUTH_REQUEST_INVALID';
  }
  const status = errorCatalog[code].status ?? 400;
  return { status, body: { error: oauthErrorOf[code]!, error_description: description, code } };
}

export interface ClientDirectory {
  /** A party's keys and roles, or undefined if there is no such party. */
  party(id: string): Promise<{ keys: readonly KeyRecord[]; roles: readonly string[] } | undefined>;
  operators: readonly Operator[];
}

export interface TokenRequestOptions {
  /** The issuer URL; the token endpoint is `${issuer}/oauth/token`. */
  issuer: string;
  clients: ClientDirectory;
  replay: ReplayGuard;
  clock: Clock;
  clockSkewSeconds: number;
}

/** A key's purposes (absent: every purpose). */
type KeyWithPurposes = KeyRecord & { purposes?: readonly ('authentication' | 'signing')[] };

const fail = (code: ErrorCode, detail: string, cause?: unknown): never => {
  throw new PdxError(code, detail, { cause });
};

/** One value of a form parameter; RFC 6749 §3.2: parameters must not be repeated. */
function single(form: URLSearchParams, name: string): string | undefined {
  const values = form.getAll(name);
  if (values.length > 1) fail('PDX_OAUTH_REQUEST_INVALID', `${name} is given ${values.length} times`);
  return values[0];
}

/**
 * A client credentials token request authenticated by `private_key_jwt` (RFC 6749 §4.4,
 * RFC 7523 §2.2 and §3): checks every claim of the client assertion, then its signature with
 * the caller's registered key named by `kid` (never a key from the header), then that the key
 * is not revoked and may authenticate; last, uses up its `jti` (so that a refused assertion
 * does not). Returns the authenticated principal and the scope granted.
 */
export async function authenticateTokenRequest(
  form: URLSearchParams,
  options: TokenRequestOptions,
): Promise<{ principal: Principal; scope: string | undefined }> {
  const grantType = single(form, 'grant_type');
  if (grantType === undefined)
    fail('PDX_OAUTH_REQUEST_INVALID', 'grant_type is required: client_credentials');
  if (grantType !== 'client_credentials')
    fail('PDX_OAUTH_GRANT_UNSUPPORTED', `grant_type ${grantType}: only client_credentials is supported`);
  const assertionType = single(form, 'client_assertion_type');
  if (assertionType !== JWT_BEARER_ASSERTION_TYPE)
    fail(
      'PDX_OAUTH_REQUEST_INVALID',
      `client_assertion_type must be ${JWT_BEARER_ASSERTION_TYPE} (private_key_jwt is the only client authentication)`,
    );
  const assertion = single(form, 'client_assertion');
  if (!assertion)
    fail('PDX_OAUTH_REQUEST_INVALID', 'client_assertion is required (a JWT signed with your key)');
  const clientId = single(form, 'client_id');
  const scope = single(form, 'scope');
  // RFC 6749 §3.3: space-delimited tokens of printable ASCII without `"` and `\`.
  if (scope !== undefined && !/^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/.test(scope))
    fail('PDX_OAUTH_SCOPE_INVALID', 'scope must be space-separated scope tokens');

  let parsed: ReturnType<typeof parseCompactJws>;
  try {
    parsed = parseCompactJws(assertion!, {
      typ: [CLIENT_ASSERTION_TYP, 'JWT', undefined],
      maxHeaderBytes: 512,
    });
  } catch (error) {
    return fail('PDX_ASSERTION_INVALID', `${(error as PdxError).code}: ${(error as Error).message}`, error);
  }
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(parsed.payload.toString('utf8')) as Record<string, unknown>;
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims))
      throw new Error('not an object');
  } catch (error) {
    return fail('PDX_ASSERTION_INVALID', 'the client assertion claims are not a JSON object', error);
  }
  const { iss, sub, aud, exp, iat, nbf, jti } = claims;
  if (typeof iss !== 'string' || iss.length === 0 || iss !== sub)
    fail('PDX_ASSERTION_INVALID', 'iss and sub must both be your party (or operator) id');
  const id = iss as string;
  if (clientId !== undefined && clientId !== id)
    fail('PDX_OAUTH_REQUEST_INVALID', `client_id ${clientId} is not the assertion's iss ${id}`);
  if (typeof jti !== 'string' || jti.length < 8 || jti.length > 256)
    fail('PDX_ASSERTION_INVALID', 'jti is required: 8 to 256 characters, unique per assertion');
  if (typeof exp !== 'number') fail('PDX_ASSERTION_INVALID', 'exp is required (seconds since the epoch)');
  const audiences = Array.isArray(aud) ? aud : [aud];
  const accepted = [options.issuer, `${options.issuer}${TOKEN_PATH}`];
  if (!audiences.some((a) => accepted.includes(a as string)))
    fail('PDX_ASSERTION_AUDIENCE_INVALID', `aud must contain ${accepted.join(' or ')}`);
  const now = options.clock.now() / 1000;
  const skew = options.clockSkewSeconds;
  const expiry = exp as number;
  if (now > expiry + skew)
    fail('PDX_ASSERTION_EXPIRED', `the client assertion expired at ${new Date(expiry * 1000).toISOString()}`);
  if (iat !== undefined && typeof iat !== 'number') fail('PDX_ASSERTION_INVALID', 'iat must be a number');
  if (typeof iat === 'number' && iat > now + skew) fail('PDX_ASSERTION_INVALID', 'iat is in the future');
  if (typeof nbf === 'number' && nbf > now + skew) fail('PDX_ASSERTION_INVALID', 'not valid yet (nbf)');
  const lifetime = expiry - (typeof iat === 'number' ? Math.min(iat, now) : now);
  if (lifetime > MAX_ASSERTION_LIFETIME_SECONDS + skew)
    fail(
      'PDX_ASSERTION_TOO_LONG',
      `the client assertion lives ${Math.round(lifetime)} s; at most ${MAX_ASSERTION_LIFETIME_SECONDS}`,
    );

  const operator = options.clients.operators.find((o) => o.id === id);
  const party = operator ? undefined : await options.clients.party(id);
  if (!operator && !party) fail('PDX_CLIENT_UNKNOWN', `no party or operator "${id}"`);
  const keys: readonly KeyWithPurposes[] = operator
    ? operator.jwks.keys.map((jwk) => ({ jwk, addedAt: '1970-01-01T00:00:00Z' }))
    : party!.keys;
  const key = keys.find((k) => k.jwk.kid === parsed.header.kid);
  if (!key) fail('PDX_CLIENT_KEY_UNKNOWN', `${id} has no key "${parsed.header.kid}"`);
  const signature = await checkSignature(parsed, key);
  if (signature.status !== 'VALID')
    fail(
      'PDX_CLIENT_SIGNATURE_INVALID',
      `${signature.code}: ${signature.detail ?? 'the signature does not verify'}`,
    );
  if (key!.revokedFrom !== undefined && Date.parse(key!.revokedFrom) <= now * 1000)
    fail('PDX_CLIENT_KEY_REVOKED', `key "${key!.jwk.kid}" is revoked since ${key!.revokedFrom}`);
  if (key!.purposes !== undefined && !key!.purposes.includes('authentication'))
    fail(
      'PDX_CLIENT_KEY_NOT_FOR_AUTH',
      `key "${key!.jwk.kid}" is registered for ${key!.purposes.join(', ') || 'no purpose'}, not authentication`,
    );
  if (!(await options.replay.claim(id, jti as string, (expiry + skew) * 1000)))
    fail('PDX_ASSERTION_REPLAYED', `client assertion ${jti as string} was already used`);
  const principal: Principal = operator
    ? { kind: 'operator', id, roles: [] }
    : { kind: 'party', id, roles: [...party!.roles] };
  // No scopes are defined yet: requested ones are ignored and none is granted.
  return { principal, scope: undefined };
}

export interface AccessTokenClaims {
  issuer: string;
  audience: string;
  principal: Principal;
  /** Milliseconds since the epoch. */
  now: number;
  ttlSeconds: number;
  scope?: string | undefined;
}

/** An access token (RFC 9068): typ at+jwt, signed with the exchange key. */
export function issueAccessToken(signer: ExchangeSigner, claims: AccessTokenClaims): Promise<string> {
  const iat = Math.floor(claims.now / 1000);
  return new SignJWT({
    client_id: claims.principal.id,
    pdx_kind: claims.principal.kind,
    roles: [...claims.principal.roles],
    ...(claims.scope ? { scope: claims.scope } : {}),
  })
    .setProtectedHeader({ alg: signer.alg, kid: signer.kid, typ: ACCESS_TOKEN_TYP })
    .setIssuer(claims.issuer)
    .setSubject(claims.principal.id)
    .setAudience(claims.audience)
    .setIssuedAt(iat)
    .setExpirationTime(iat + claims.ttlSeconds)
    .setJti(randomUUID())
    .sign(signer.key);
}

/** The authorization server metadata (RFC 8414 §2). */
export function authorizationServerMetadata(issuer: string) {
  return {
    issuer,
    token_endpoint: `${issuer}${TOKEN_PATH}`,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['EdDSA', 'ES256'],
    response_types_supported: [],
    scopes_supported: [],
    service_documentation: `${issuer}/docs`,
  };
}

/** The schemas of the token endpoint and its metadata, for the API document. */
export const tokenEndpointSchemas = {
  /** The form of a client credentials request (RFC 6749 §4.4.2, RFC 7523 §2.2). */
  request: {
    type: 'object',
    required: ['grant_type', 'client_assertion_type', 'client_assertion'],
    properties: {
      grant_type: { const: 'client_credentials' },
      client_assertion_type: { const: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' },
      client_assertion: {
        description:
          'A JWT (RFC 7523 §3) signed with one of your registered keys (EdDSA or ES256, kid in the header): iss = sub = your party or operator id, aud the issuer or the token endpoint, exp at most 5 minutes ahead, a jti used once.',
        type: 'string',
        pattern: '^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$',
      },
      client_id: {
        description: 'Optional; your party or operator id (as in the assertion).',
        type: 'string',
      },
      scope: { description: 'Optional; pdx defines no scopes and grants none.', type: 'string' },
    },
  },
  token: {
    description:
      'An access token (RFC 6749 §5.1): a JWT per RFC 9068 (typ at+jwt) every service accepts until it expires.',
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['access_token', 'token_type', 'expires_in'],
          additionalProperties: false,
          properties: {
            access_token: { type: 'string' },
            token_type: { const: 'Bearer' },
            expires_in: { type: 'integer', minimum: 1 },
            scope: { type: 'string' },
          },
        },
      },
    },
  },
  error: (description: string) => ({
    description,
    content: {
      'application/json': {
        schema: {
          description: 'An OAuth 2.0 error (RFC 6749 §5.2), with the pdx code.',
          type: 'object',
          required: ['error', 'error_description', 'code'],
          additionalProperties: false,
          properties: {
            error: {
              enum: [
                'invalid_request',
                'invalid_client',
                'invalid_grant',
                'unsupported_grant_type',
                'invalid_scope',
              ],
            },
            error_description: { type: 'string' },
            code: { enum: Object.keys(oauthErrorOf) },
          },
        },
      },
    },
  }),
  metadata: {
    description: 'The authorization server metadata (RFC 8414).',
    type: 'object',
    required: [
      'issuer',
      'token_endpoint',
      'jwks_uri',
      'grant_types_supported',
      'token_endpoint_auth_methods_supported',
      'token_endpoint_auth_signing_alg_values_supported',
    ],
    properties: {
      issuer: { type: 'string', format: 'uri' },
      token_endpoint: { type: 'string', format: 'uri' },
      jwks_uri: { type: 'string', format: 'uri' },
      grant_types_supported: { type: 'array', items: { type: 'string' } },
      token_endpoint_auth_methods_supported: { type: 'array', items: { type: 'string' } },
      token_endpoint_auth_signing_alg_values_supported: { type: 'array', items: { type: 'string' } },
      response_types_supported: { type: 'array', items: { type: 'string' } },
      scopes_supported: { type: 'array', items: { type: 'string' } },
      service_documentation: { type: 'string', format: 'uri' },
    },
  },
} as const;

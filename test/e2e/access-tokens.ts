import { JWT_BEARER_ASSERTION_TYPE, mintClientAssertion, type PrivateJwk } from '@pdx/crypto';
import type { Host } from '@pdx/host';

/** How the helper reaches a token endpoint: a host in this process, or a URL. */
export interface TokenTransport {
  request(method: 'GET' | 'POST', path: string, form?: string): Promise<{ status: number; body: string }>;
}

const FORM = 'application/x-www-form-urlencoded';

/** Through `inject`, to the host `of()` returns when called (it may change as hosts restart). */
export function viaHost(of: () => Host): TokenTransport {
  return {
    async request(method, path, form) {
      const res = await of().http.inject({
        method,
        url: path,
        ...(form === undefined ? {} : { headers: { 'content-type': FORM }, payload: form }),
      });
      return { status: res.statusCode, body: res.body };
    },
  };
}

/** Over HTTP, to the base URL `of()` returns. */
export function viaUrl(of: () => string): TokenTransport {
  return {
    async request(method, path, form) {
      const res = await fetch(`${of()}${path}`, {
        method,
        ...(form === undefined ? {} : { headers: { 'content-type': FORM }, body: form }),
      });
      return { status: res.status, body: await res.text() };
    },
  };
}

/** The form of a client credentials request with a client assertion (RFC 7523 §2.2). */
export function tokenForm(assertion: string, extra: Record<string, string> = {}): string {
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
    client_assertion: assertion,
    ...extra,
  }).toString();
}

/**
 * Access tokens for the tests, obtained as a client does: a client assertion signed with the
 * principal's key (at the test's clock), exchanged at POST /oauth/token; each kept until a
 * minute before it expires, so a test makes few token requests.
 */
export function accessTokens(options: {
  now: () => number;
  keyOf: (who: string) => PrivateJwk;
  transport: TokenTransport;
}) {
  const cache = new Map<string, { token: string; expiresAt: number }>();
  let issuer: string | undefined;
  const issuerOf = async () => {
    if (issuer) return issuer;
    const res = await options.transport.request('GET', '/.well-known/oauth-authorization-server');
    if (res.status !== 200) throw new Error(`no OAuth metadata: ${res.status} ${res.body}`);
    issuer = (JSON.parse(res.body) as { issuer: string }).issuer;
    return issuer;
  };
  const tokenFor = async (who: string): Promise<string> => {
    const cached = cache.get(who);
    if (cached && options.now() < cached.expiresAt - 60_000) return cached.token;
    const assertion = await mintClientAssertion({
      privateJwk: options.keyOf(who),
      clientId: who,
      audience: await issuerOf(),
      now: options.now(),
    });
    const res = await options.transport.request('POST', '/oauth/token', tokenForm(assertion));
    if (res.status !== 200) throw new Error(`no access token for ${who}: ${res.status} ${res.body}`);
    const answer = JSON.parse(res.body) as { access_token: string; expires_in: number };
    cache.set(who, { token: answer.access_token, expiresAt: options.now() + answer.expires_in * 1000 });
    return answer.access_token;
  };
  return {
    tokenFor,
    /** The Authorization header value for `who`. */
    authorization: async (who: string) => `Bearer ${await tokenFor(who)}`,
    /** Drops the cached tokens (of `who`, or all): the next call asks for a new one. */
    forget(who?: string) {
      if (who === undefined) cache.clear();
      else cache.delete(who);
    },
  };
}

/** One token request for `who` signed with `key` (no cache), answered as it is. */
export async function requestToken(
  transport: TokenTransport,
  who: string,
  key: PrivateJwk,
  now = Date.now(),
): Promise<{ status: number; body: Record<string, unknown> }> {
  const meta = await transport.request('GET', '/.well-known/oauth-authorization-server');
  const issuer = (JSON.parse(meta.body) as { issuer: string }).issuer;
  const assertion = await mintClientAssertion({ privateJwk: key, clientId: who, audience: issuer, now });
  const res = await transport.request('POST', '/oauth/token', tokenForm(assertion));
  return { status: res.status, body: JSON.parse(res.body) as Record<string, unknown> };
}

/** A new access token for `who` signed with `key`; throws with the refusal if there is none. */
export async function obtainToken(transport: TokenTransport, who: string, key: PrivateJwk, now = Date.now()) {
  const res = await requestToken(transport, who, key, now);
  if (res.status !== 200)
    throw new Error(`no access token for ${who}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.access_token as string;
}

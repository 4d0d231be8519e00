import type { TokenSource } from './api.js';
import type { paths } from './generated/api.js';
import { type Algorithm, ConsoleError, renewDelayMs, signClientAssertion } from './keys.js';

type TokenAnswer = paths['/oauth/token']['post']['responses'][200]['content']['application/json'];
type TokenRefusal = paths['/oauth/token']['post']['responses'][401]['content']['application/json'];
type Metadata =
  paths['/.well-known/oauth-authorization-server']['get']['responses'][200]['content']['application/json'];

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Which field a token endpoint refusal is about, by its pdx code. */
export function refusalField(code: string | undefined): 'partyId' | 'keyFile' | undefined {
  if (code === 'PDX_CLIENT_UNKNOWN') return 'partyId';
  if (code?.startsWith('PDX_CLIENT_KEY_') || code === 'PDX_CLIENT_SIGNATURE_INVALID') return 'keyFile';
  return undefined;
}

/** A refusal of the token endpoint, in words, with the field it concerns. */
export class SignInError extends ConsoleError {
  constructor(
    key: ConsoleError['key'],
    values: Record<string, string | number>,
    readonly field: 'partyId' | 'keyFile' | undefined,
    readonly code?: string,
  ) {
    super(key, values);
  }
}

export interface TokenClientOptions {
  clientId: string;
  kid: string;
  alg: Algorithm;
  key: CryptoKey;
  /** Milliseconds since the epoch. */
  now?: () => number;
  fetch?: typeof fetch;
  /** Schedules the renewal (a timer in the page). */
  schedule?: (delayMs: number, run: () => void) => () => void;
}

/**
 * Access tokens for the signed-in person: a client assertion signed with the non-extractable
 * key, exchanged at POST /oauth/token (on this origin), and renewed before it expires.
 */
export class TokenClient implements TokenSource {
  private current: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;
  private cancelRenewal: (() => void) | undefined;
  private issuer: string | undefined;
  private readonly now: () => number;
  private readonly fetch: typeof fetch;
  /** Called when a scheduled renewal fails (the session then ends). */
  onLost: (error: Error) => void = () => {};

  constructor(private readonly options: TokenClientOptions) {
    this.now = options.now ?? (() => Date.now());
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  async token(): Promise<string> {
    if (this.current && this.now() < this.current.expiresAt - 5_000) return this.current.token;
    return this.renewNow();
  }

  async renew(): Promise<void> {
    this.current = undefined;
    await this.renewNow();
  }

  /**
   * Who the current access token names (its pdx_kind and roles claims), for the view only:
   * every call is judged by the exchange, which checks the token's signature.
   */
  principal(): { kind: 'party' | 'operator'; roles: string[] } | undefined {
    const payload = this.current?.token.split('.')[1];
    if (!payload) return undefined;
    try {
      const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as {
        pdx_kind?: unknown;
        roles?: unknown;
      };
      return {
        kind: claims.pdx_kind === 'operator' ? 'operator' : 'party',
        roles: Array.isArray(claims.roles) ? claims.roles.filter((r) => typeof r === 'string') : [],
      };
    } catch {
      return undefined;
    }
  }

  stop(): void {
    this.cancelRenewal?.();
    this.cancelRenewal = undefined;
    this.current = undefined;
  }

  private renewNow(): Promise<string> {
    this.pending ??= this.request().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async metadata(): Promise<string> {
    if (this.issuer) return this.issuer;
    const res = await this.send('/.well-known/oauth-authorization-server', { method: 'GET' });
    if (!res.ok)
      throw new SignInError('error.server', { status: res.status, detail: await res.text() }, undefined);
    this.issuer = ((await res.json()) as Metadata).issuer;
    return this.issuer;
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetch(path, { ...init, credentials: 'omit' });
    } catch (error) {
      throw new SignInError('error.network', { reason: (error as Error).message }, undefined);
    }
  }

  private async request(): Promise<string> {
    const { clientId, kid, alg, key } = this.options;
    const assertion = await signClientAssertion({
      key,
      alg,
      kid,
      clientId,
      audience: await this.metadata(),
      now: this.now(),
    });
    const res = await this.send('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: JWT_BEARER,
        client_assertion: assertion,
      }).toString(),
    });
    if (!res.ok) {
      const refusal = (await res.json().catch(() => undefined)) as Partial<TokenRefusal> | undefined;
      const detail = refusal?.error_description ?? `HTTP ${res.status}`;
      const field = refusalField(refusal?.code);
      const key =
        field === 'partyId'
          ? 'error.signIn.party'
          : field === 'keyFile'
            ? 'error.signIn.key'
            : res.status >= 500
              ? 'error.server'
              : 'error.signIn.other';
      throw new SignInError(key, { detail, status: res.status }, field, refusal?.code);
    }
    const answer = (await res.json()) as TokenAnswer;
    this.current = { token: answer.access_token, expiresAt: this.now() + answer.expires_in * 1000 };
    this.cancelRenewal?.();
    const schedule =
      this.options.schedule ??
      ((delay: number, run: () => void) => {
        const timer = setTimeout(run, delay);
        return () => clearTimeout(timer);
      });
    this.cancelRenewal = schedule(renewDelayMs(answer.expires_in), () => {
      this.renew().catch((error: Error) => this.onLost(error));
    });
    return answer.access_token;
  }
}

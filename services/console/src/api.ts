import type { components, paths } from './generated/api.js';

export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];
export type PartyView = Schemas['PartyView'];
export type PartnerDecision = Schemas['PartnerDecision'];

/** The paths that answer GET, and what their 200 carries (from the OpenAPI document). */
type GetPaths = { [P in keyof paths]: paths[P] extends { get: object } ? P : never }[keyof paths];
type GetOperation<P extends GetPaths> = paths[P] extends { get: infer O } ? O : never;
type OkBody<O> = O extends { responses: { 200: { content: { 'application/json': infer B } } } } ? B : never;
type QueryOf<O> = O extends { parameters: { query?: infer Q } } ? Q : never;
type PathParamsOf<O> = O extends { parameters: { path: infer Q } } ? Q : never;

/** An answer that is not a success: the problem (RFC 9457) when the exchange sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
  }
}

/** Where the console gets its access token for each call (session.ts), and renews a refused one. */
export interface TokenSource {
  token(): Promise<string>;
  /** The token was refused as expired: get a new one. */
  renew(): Promise<void>;
}

/** `/v1/parties/{partyId}` with `{ partyId: 'acme' }`: each value percent-encoded. */
export function fillPath(template: string, values: Record<string, string> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_all, name: string) => {
    const value = values[name];
    if (value === undefined) throw new TypeError(`${template}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
}

async function problemOf(res: Response): Promise<Problem | undefined> {
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return undefined;
  try {
    return (await res.json()) as Problem;
  } catch {
    return undefined;
  }
}

type Method = 'get' | 'post' | 'put' | 'delete';
/** The documented paths that answer `M`. */
export type PathsWith<M extends Method> = {
  [P in keyof paths]: paths[P] extends { [K in M]: object } ? P : never;
}[keyof paths];
type OperationOf<P extends keyof paths, M extends Method> = paths[P] extends { [K in M]: infer O }
  ? O
  : never;
type BodyOf<O> = O extends { requestBody: { content: infer C } }
  ? C extends { 'application/json': infer B }
    ? B
    : C extends { 'application/jose': unknown }
      ? string
      : never
  : O extends { requestBody?: { content: infer C } }
    ? C extends { 'application/json': infer B }
      ? B
      : never
    : never;
type AnswerOf<O> = O extends { responses: infer R }
  ? {
      [S in keyof R]: S extends 200 | 201 | 202
        ? R[S] extends { content: { 'application/json': infer B } }
          ? B
          : never
        : never;
    }[keyof R]
  : never;

export interface RequestOptions<O> {
  path?: PathParamsOf<O>;
  query?: QueryOf<O>;
  /** The JSON body, or the compact JWS (`application/jose`) as a string. */
  body?: BodyOf<O>;
  /** Extra headers (`if-match`). */
  headers?: Record<string, string>;
}

/** A success: its status, its body (JSON when it has one) and its headers (ETag, Location). */
export interface Answer<B> {
  status: number;
  body: B;
  /** The body as sent, byte for byte (what a signed document's download offers). */
  text: string;
  headers: Headers;
}

/**
 * Calls a documented operation on this origin with the access token: the typed success, or an
 * ApiError with the problem. A token refused as expired is renewed once and the call retried.
 * A string body is sent as `application/jose` (a compact JWS), anything else as JSON.
 */
export async function apiRequest<M extends Method, P extends PathsWith<M>>(
  tokens: TokenSource,
  method: M,
  path: P,
  options: RequestOptions<OperationOf<P, M>> = {},
): Promise<Answer<AnswerOf<OperationOf<P, M>>>> {
  const url = new URL(fillPath(path, options.path as Record<string, string>), location.origin);
  for (const [name, value] of Object.entries((options.query ?? {}) as Record<string, unknown>)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(name, String(v));
    else url.searchParams.set(name, String(value));
  }
  const body = options.body as unknown;
  for (let attempt = 0; ; attempt++) {
    const token = await tokens.token();
    const headers: Record<string, string> = {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      accept: 'application/json, application/problem+json',
      ...options.headers,
    };
    if (body !== undefined)
      headers['content-type'] = typeof body === 'string' ? 'application/jose' : 'application/json';
    const res = await fetch(url, {
      method: method.toUpperCase(),
      headers,
      credentials: 'omit',
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    if (res.ok) {
      const type = res.headers.get('content-type') ?? '';
      const text = await res.text();
      const parsed = type.includes('json') && text !== '' ? JSON.parse(text) : undefined;
      return { status: res.status, body: parsed as AnswerOf<OperationOf<P, M>>, text, headers: res.headers };
    }
    const problem = await problemOf(res);
    if (res.status === 401 && problem?.code === 'PDX_AUTH_EXPIRED' && attempt === 0) {
      await tokens.renew();
      continue;
    }
    throw new ApiError(res.status, problem);
  }
}

/** GET a documented path: the typed 200 body (apiRequest for the headers too). */
export async function apiGet<P extends GetPaths>(
  tokens: TokenSource,
  path: P,
  options: { path?: PathParamsOf<GetOperation<P>>; query?: QueryOf<GetOperation<P>> } = {},
): Promise<OkBody<GetOperation<P>>> {
  const answer = await apiRequest(tokens, 'get', path as PathsWith<'get'>, options as never);
  return answer.body as OkBody<GetOperation<P>>;
}

/**
 * A problem's messages by form field: each violation (`errors`, else the problem's own
 * `pointer`) goes to the field its JSON pointer names, or to a parent field it lies under
 * (`/jwks/keys/0/d` → `/jwks`); what matches no field goes under `form`.
 */
export function fieldErrors(problem: Problem, fields: readonly string[]): Record<string, string> {
  const found: Record<string, string> = {};
  const violations =
    problem.errors && problem.errors.length > 0
      ? problem.errors
      : [{ pointer: problem.pointer ?? '', detail: problem.detail ?? problem.title }];
  for (const { pointer, detail } of violations) {
    const field =
      fields.find((f) => pointer === f) ??
      [...fields].sort((a, b) => b.length - a.length).find((f) => pointer.startsWith(`${f}/`)) ??
      'form';
    found[field] = found[field] ? `${found[field]}; ${detail}` : detail;
  }
  return found;
}

/** No access token (an empty one is not sent): public routes, such as a public ledger, with nobody signed in. */
export const anonymous: TokenSource = { token: async () => '', renew: async () => {} };

import { existsSync, readFileSync } from 'node:fs';
import { STATUS_CODES } from 'node:http';
import { JWT_BEARER_ASSERTION_TYPE, mintClientAssertion, type PrivateJwk } from '@pdx/crypto';
import { CliError, exchangeFailed, inputInvalid } from './errors.js';

export { CliError } from './errors.js';

/** Where a command writes, the clock it reads and how it calls the exchange; tests substitute them. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  now(): number;
  env: Readonly<Record<string, string | undefined>>;
  fetch?: typeof fetch;
  /** Waits between polls (`--wait`); default a timer. */
  sleep?(ms: number): Promise<void>;
}

export type OptionValues = Record<string, string | boolean | string[] | undefined>;

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** A string option given several times (e.g. `-H`); its value is then a list. */
  multiple?: boolean;
  help: string;
}

export interface Command {
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  /** How many positional arguments the command takes; unchecked when absent. */
  positionals?: { min: number; max: number };
  /** Lines shown after the options in `--help`: examples, environment, exit codes. */
  notes?: readonly string[];
  run(values: OptionValues, io: Io, positionals: string[]): Promise<void>;
}

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** Who signs a call: a key file and the party id it belongs to. */
export const identityOptions = {
  key: { type: 'string', short: 'k', help: 'private key file (authenticates the call); default $PDX_KEY' },
  iss: { type: 'string', help: 'your party id; default $PDX_ISS (or $PDX_PARTY_ID)' },
  aud: {
    type: 'string',
    help: "the client assertion's audience; default the exchange's issuer (from its OAuth metadata)",
  },
} satisfies Record<string, OptionSpec>;

/** A call to the exchange: identity plus where the exchange is. */
export const callOptions = {
  ...identityOptions,
  url: { type: 'string', help: `exchange base URL; default $PDX_URL or ${DEFAULT_URL}` },
} satisfies Record<string, OptionSpec>;

/** Polling for what the exchange applies asynchronously (its read side follows the event log). */
export const waitOptions = {
  wait: { type: 'boolean', help: 'retry until the exchange has applied what you did (up to --timeout)' },
  timeout: { type: 'string', help: 'with --wait: seconds to keep trying (default 10)' },
} satisfies Record<string, OptionSpec>;

export function str(v: OptionValues, name: string): string | undefined {
  const value = v[name];
  return typeof value === 'string' ? value : undefined;
}

export function baseUrl(io: Io, v: OptionValues): string {
  return (str(v, 'url') ?? io.env.PDX_URL ?? DEFAULT_URL).replace(/\/+$/, '');
}

export function readPrivateKey(path: string | undefined): PrivateJwk {
  if (!path) throw new CliError('--key <file> is required (create one with `pdx keygen`)', 2);
  if (!existsSync(path)) throw inputInvalid(`no key file at ${path}`);
  let jwk: PrivateJwk;
  try {
    jwk = JSON.parse(readFileSync(path, 'utf8')) as PrivateJwk;
  } catch {
    throw inputInvalid(`${path} is not a JSON private key`);
  }
  if (typeof jwk.d !== 'string' || typeof jwk.kid !== 'string') {
    throw inputInvalid(`${path} is not a private JWK with a kid (made by \`pdx keygen\`?)`);
  }
  return jwk;
}

/** The key file and party id of the options, falling back to $PDX_KEY and $PDX_ISS. */
export function identityOf(io: Io, v: OptionValues): { key: string | undefined; iss: string | undefined } {
  return {
    key: str(v, 'key') ?? io.env.PDX_KEY,
    iss: str(v, 'iss') ?? io.env.PDX_ISS ?? io.env.PDX_PARTY_ID,
  };
}

/** The key and party id the options (or the environment) name, both required. */
function identityRequired(io: Io, v: OptionValues): { privateJwk: PrivateJwk; iss: string } {
  const { key, iss } = identityOf(io, v);
  if (!iss) throw new CliError('--iss <party id> is required (or set PDX_ISS)', 2);
  if (!key) throw new CliError('--key <file> is required (or set PDX_KEY; create one with `pdx keygen`)', 2);
  return { privateJwk: readPrivateKey(key), iss };
}

/** The exchange's issuer URL, from its authorization server metadata (RFC 8414). */
async function issuerOf(io: Io, v: OptionValues): Promise<string> {
  const url = `${baseUrl(io, v)}/.well-known/oauth-authorization-server`;
  const answer = await request(io, url, { method: 'GET' });
  if (!answer.ok || typeof answer.body.issuer !== 'string')
    throw exchangeFailed(
      `${url} answered ${statusLine(answer.status)}: no OAuth metadata (is PDX_URL the exchange?)`,
    );
  return answer.body.issuer;
}

/** A client assertion (RFC 7523) for the identity the options name, valid one minute. */
export async function clientAssertionFor(io: Io, v: OptionValues): Promise<string> {
  const { privateJwk, iss } = identityRequired(io, v);
  return mintClientAssertion({
    privateJwk,
    clientId: iss,
    audience: str(v, 'aud') ?? (await issuerOf(io, v)),
    now: io.now(),
  });
}

// One access token per identity and exchange while it lasts: `pdx call` gets one per invocation.
const accessTokens = new Map<string, { token: string; expiresAt: number }>();

/**
 * An access token from the exchange's token endpoint (client credentials, `private_key_jwt`):
 * a client assertion signed with the key, exchanged at POST /oauth/token.
 */
export async function tokenFor(io: Io, v: OptionValues): Promise<string> {
  const { key, iss } = identityOf(io, v);
  const id = `${baseUrl(io, v)} ${iss} ${key}`;
  const cached = accessTokens.get(id);
  if (cached && io.now() < cached.expiresAt - 30_000) return cached.token;
  const assertion = await clientAssertionFor(io, v);
  const answer = await request(io, `${baseUrl(io, v)}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
      client_assertion: assertion,
    }).toString(),
  });
  const token = answer.body.access_token;
  if (!answer.ok || typeof token !== 'string') {
    throw exchangeFailed(
      `the token endpoint refused: ${statusLine(answer.status)} ${String(answer.body.error ?? '')} ${String(answer.body.code ?? '')}: ${String(answer.body.error_description ?? answer.body.detail ?? '')}`,
    );
  }
  const expiresIn = typeof answer.body.expires_in === 'number' ? answer.body.expires_in : 60;
  accessTokens.set(id, { token, expiresAt: io.now() + expiresIn * 1000 });
  return token;
}

export interface Answer {
  status: number;
  ok: boolean;
  headers: Headers;
  text: string;
  /** The body as JSON, or a problem-like stand-in when it is not JSON. */
  body: Record<string, unknown>;
}

/** `HTTP 201 Created`: the status line `pdx call` prints. */
export function statusLine(status: number): string {
  return `HTTP ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`;
}

/** One HTTP exchange with the exchange. */
export async function request(io: Io, url: string, init: RequestInit): Promise<Answer> {
  let res: Response;
  try {
    res = await (io.fetch ?? fetch)(url, init);
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw exchangeFailed(
      `cannot reach ${new URL(url).origin}: ${cause?.code ?? cause?.message ?? (error as Error).message} (is the exchange running? --url or PDX_URL says where)`,
    );
  }
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    const parsed = JSON.parse(text) as unknown;
    body =
      parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed as Record<string, unknown>)
        : { value: parsed };
  } catch {
    body = { status: res.status, detail: text.slice(0, 500) };
  }
  return { status: res.status, ok: res.ok, headers: res.headers, text, body };
}

/** An authenticated call, with the identity's access token. */
export async function call(
  io: Io,
  v: OptionValues,
  method: string,
  path: string,
  send?: { 'content-type': string; body: string },
): Promise<Answer> {
  const token = await tokenFor(io, v);
  return request(io, `${baseUrl(io, v)}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(send ? { 'content-type': send['content-type'] } : {}),
    },
    ...(send ? { body: send.body } : {}),
  });
}

export function problemText(body: Record<string, unknown>): string {
  const pointer = body.pointer ? ` at ${String(body.pointer)}` : '';
  return `${String(body.status ?? '')} ${String(body.code ?? 'error')}${pointer}: ${String(body.detail ?? body.title ?? '')}`;
}

/** Seconds of `--timeout` as milliseconds (default 10 s). */
export function timeoutMs(v: OptionValues): number {
  const raw = str(v, 'timeout');
  if (raw === undefined) return 10_000;
  const seconds = Number(raw);
  if (!(seconds > 0) || !Number.isFinite(seconds))
    throw new CliError(`--timeout is a number of seconds, not ${raw}`, 2);
  return seconds * 1000;
}

/**
 * Repeats `attempt` while `again(answer)` says the exchange has not caught up yet, until
 * --timeout; without --wait, one attempt. The exchange's read side applies events after the
 * write was acknowledged, so a read right after a write may not see it yet.
 */
export async function withWait(
  io: Io,
  v: OptionValues,
  attempt: () => Promise<Answer>,
  again: (answer: Answer) => boolean,
): Promise<Answer> {
  if (!v.wait) return attempt();
  const deadline = io.now() + timeoutMs(v);
  const sleep = io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let pause = 100; ; pause = Math.min(pause * 2, 1000)) {
    let answer: Answer | undefined;
    let unreachable: unknown;
    try {
      answer = await attempt();
    } catch (error) {
      // Still starting: keep trying until the deadline, then say why.
      if (!(error instanceof CliError) || !error.message.startsWith('cannot reach')) throw error;
      unreachable = error;
    }
    if (answer && !again(answer)) return answer;
    if (io.now() + pause > deadline) {
      if (answer) return answer;
      throw unreachable;
    }
    await sleep(pause);
  }
}

/** A 404 (not applied yet) or a link the read side does not know of yet. */
export function notThereYet(answer: Answer): boolean {
  return answer.status === 404 || answer.body.code === 'PDX_PARTNER_NOT_LINKED';
}

/** Fails with the problem the exchange answered. */
export function expectOk(answer: Answer): Answer {
  if (!answer.ok) throw exchangeFailed(problemText(answer.body));
  return answer;
}

/** Query string of the options that are set. */
export function query(params: Record<string, string | undefined>): string {
  const set = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined);
  return set.length === 0 ? '' : `?${new URLSearchParams(set).toString()}`;
}

/** Left-aligned columns, two spaces apart; the last column is not padded. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}

import { existsSync, readFileSync } from 'node:fs';
import {
  type Answer,
  baseUrl,
  CliError,
  type Command,
  callOptions,
  identityOf,
  type OptionValues,
  request,
  statusLine,
  str,
  tokenFor,
  waitOptions,
  withWait,
} from './command.js';
import { exchangeFailed, inputInvalid } from './errors.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** `--data '{…}'` or `--data @file`: the text to send. */
function dataOf(v: OptionValues): string | undefined {
  const data = str(v, 'data');
  if (data === undefined || !data.startsWith('@')) return data;
  const file = data.slice(1);
  if (!existsSync(file)) throw inputInvalid(`--data ${data}: no file at ${file}`);
  return readFileSync(file, 'utf8');
}

/** Request headers from `-H 'name: value'`, checked here so a typo is not sent. */
function headersOf(v: OptionValues): [string, string][] {
  const raw = v.header;
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
  return list.map((h) => {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new CliError(`--header ${JSON.stringify(h)} is not "name: value"`, 2);
    return [h.slice(0, colon).trim(), h.slice(colon + 1).trim()];
  });
}

export const callCommand: Command = {
  summary:
    'Call any route of the exchange with your access token (one per invocation); prints the status and the body.',
  usage:
    'pdx call <METHOD> <PATH> [--data <JSON>|@<file>] [-H "name: value"] [--key <file> --iss <party id>] [--wait] [--include]',
  positionals: { min: 2, max: 2 },
  options: {
    ...callOptions,
    data: { type: 'string', short: 'd', help: 'request body: JSON text, or @file to send a file' },
    'content-type': {
      type: 'string',
      help: 'media type of --data (default application/json; application/jose for a JWS)',
    },
    header: { type: 'string', short: 'H', multiple: true, help: 'an extra request header, "name: value"' },
    include: { type: 'boolean', short: 'i', help: 'also print the response headers' },
    ...waitOptions,
  },
  notes: [
    'The status line (HTTP 200 OK) goes to stderr and the body to stdout, so `pdx call GET … > file`',
    'saves the body alone. Without --key and $PDX_KEY the call carries no token (public routes).',
    '--wait retries a GET while it answers 404: the status, review and ledger services apply',
    'what intake accepted a moment later.',
    '',
    'Exit codes: 0 for a 2xx or 3xx answer, 1 for 4xx or 5xx (the problem is printed), 2 for usage.',
    '',
    'Examples:',
    '  pdx call GET /v1/parties/acme-logistics --key acme.key.json --iss acme-logistics --wait',
    '  PDX_KEY=globex.key.json PDX_ISS=globex-retail pdx call GET /v1/partner-status',
    '  pdx call POST /v1/relationships --data \'{"partnerId":"acme-logistics",…}\'',
    '',
    'Adding a sign-in key for staff or the console (it gets tokens, but signs no declaration',
    'or attestation): make it with `pdx keygen --purpose authentication`, then post its public JWK',
    '(with the `purposes` member keygen printed), authenticated with a key the party holds:',
    '  pdx keygen --out staff.key.json --kid acme-staff --purpose authentication > staff.jwks.json',
    '  pdx call POST /v1/parties/acme-logistics/keys --key acme.key.json --iss acme-logistics \\',
    '    --data "$(node -p \'JSON.stringify(require("./staff.jwks.json").keys[0])\')"',
  ],
  async run(v, io, positionals) {
    const method = positionals[0]!.toUpperCase();
    const path = positionals[1]!;
    if (!METHODS.includes(method)) {
      throw new CliError(`${positionals[0]} is not an HTTP method (${METHODS.join(', ')})`, 2);
    }
    if (!path.startsWith('/')) {
      throw new CliError(
        `the path starts with / (e.g. /v1/parties/acme-logistics); --url or PDX_URL names the exchange, not ${path}`,
        2,
      );
    }
    const body = dataOf(v);
    if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
      throw new CliError(`a ${method} has no body: drop --data`, 2);
    }
    const type = str(v, 'content-type') ?? (body === undefined ? undefined : 'application/json');
    if (body !== undefined && type === 'application/json') {
      try {
        JSON.parse(body);
      } catch (error) {
        throw new CliError(`--data is not JSON: ${(error as Error).message}`, 2);
      }
    }
    const extra = headersOf(v);
    const safe = method === 'GET' || method === 'HEAD';
    if (v.wait && !safe) throw new CliError('--wait is for GET and HEAD: a write is not repeated', 2);
    // A token only when an identity is named: public routes (the ledger, JWKS) need none.
    const authenticated = identityOf(io, v).key !== undefined || str(v, 'iss') !== undefined;
    const attempt = async (): Promise<Answer> =>
      request(io, `${baseUrl(io, v)}${path}`, {
        method,
        headers: {
          ...(authenticated ? { authorization: `Bearer ${await tokenFor(io, v)}` } : {}),
          ...(type ? { 'content-type': type } : {}),
          ...Object.fromEntries(extra),
        },
        ...(body === undefined ? {} : { body }),
      });
    const answer = await withWait(io, v, attempt, (a) => a.status === 404);
    io.err(`${statusLine(answer.status)}\n`);
    if (v.include) {
      for (const [name, value] of answer.headers) io.err(`${name}: ${value}\n`);
    }
    if (answer.text.length > 0) io.out(answer.text.endsWith('\n') ? answer.text : `${answer.text}\n`);
    if (!answer.ok) throw exchangeFailed(`${method} ${path} answered ${answer.status}`);
  },
};

import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type PublicJwk, SchemaRegistry } from '@pdx/contracts';
import {
  ATTESTATION_TYP,
  DECLARATION_TYP,
  generateSigningKey,
  type KeyRecord,
  mintAuthToken,
  type PrivateJwk,
  publicPart,
  type SignatureAlgorithm,
  signCompact,
  VerificationRefused,
  type VerificationReport,
  verifyDeclaration,
} from '@pdx/crypto';
import { parse as parseYaml } from 'yaml';
import {
  LedgerCliError,
  ledgerKeys,
  monitorStep,
  readJson,
  readState,
  verifyInclusionFiles,
  writeState,
} from './ledger.js';
import { verifyStatementCommand } from './verify-statement.js';

/** Where a command writes, the clock it reads and how it calls the exchange; tests substitute them. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  now(): number;
  env: Readonly<Record<string, string | undefined>>;
  fetch?: typeof fetch;
}

/** A failure the user can fix; its message is printed without a stack trace. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
    this.name = new.target.name;
  }
}

interface Command {
  summary: string;
  usage: string;
  options: Record<string, { type: 'string' | 'boolean'; short?: string; help: string }>;
  run(values: Record<string, string | boolean | undefined>, io: Io, positionals: string[]): Promise<void>;
}

function readPrivateKey(path: string | undefined): PrivateJwk {
  if (!path) throw new CliError('--key <file> is required (create one with `pdx keygen`)', 2);
  if (!existsSync(path)) throw new CliError(`no key file at ${path}`);
  let jwk: PrivateJwk;
  try {
    jwk = JSON.parse(readFileSync(path, 'utf8')) as PrivateJwk;
  } catch {
    throw new CliError(`${path} is not a JSON private key`);
  }
  if (typeof jwk.d !== 'string' || typeof jwk.kid !== 'string') {
    throw new CliError(`${path} is not a private JWK with a kid (made by \`pdx keygen\`?)`);
  }
  return jwk;
}

/** A JSON or YAML file holding one object (a declaration, an attestation). */
function readDocument(file: string | undefined, what: string): Record<string, unknown> {
  if (!file) throw new CliError(`--in <${what} file> is required`, 2);
  if (!existsSync(file)) throw new CliError(`no file at ${file}`);
  const yaml = /\.ya?ml$/i.test(file);
  let value: unknown;
  try {
    value = yaml ? parseYaml(readFileSync(file, 'utf8')) : JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CliError(`${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CliError(`${file} does not hold ${what === 'attestation' ? 'an' : 'a'} ${what} object`);
  }
  return value as Record<string, unknown>;
}

/** The document matches its schema, or the error lists each violation with its pointer. */
function checkDocument(value: unknown, schemaId: string, file: string, what: string): void {
  const violations = new SchemaRegistry().check(schemaId, value);
  if (violations.length > 0) {
    throw new CliError(
      `${file} is not a valid ${what}:\n${violations.map((x) => `  ${x.pointer || '/'} ${x.detail}`).join('\n')}`,
    );
  }
}

/**
 * A command that signs a JSON or YAML document as a compact JWS of one typ, after checking
 * it against its schema (the signer learns of a mistake here, not at intake).
 */
function signingCommand(spec: {
  what: string;
  summary: string;
  signer: string;
  schemaId: string;
  typ: string;
}): Command {
  const name = spec.what === 'declaration' ? 'sign' : 'attest';
  return {
    summary: spec.summary,
    usage: `pdx ${name} --key <file> --in <${spec.what}.json|yaml> [--out <file.jws>] [--now]`,
    options: {
      key: { type: 'string', short: 'k', help: `private key file of ${spec.signer}` },
      in: { type: 'string', short: 'i', help: `the ${spec.what}, JSON or YAML` },
      out: { type: 'string', short: 'o', help: 'write the JWS here (default: stdout)' },
      now: { type: 'boolean', help: 'set issuedAt to the current time before signing' },
    },
    async run(v, io) {
      const document = readDocument(v.in as string | undefined, spec.what);
      if (v.now) document.issuedAt = new Date(io.now()).toISOString();
      checkDocument(document, spec.schemaId, v.in as string, spec.what);
      const jws = await signCompact(
        JSON.stringify(document),
        readPrivateKey(v.key as string | undefined),
        spec.typ,
      );
      if (v.out) {
        writeFileSync(v.out as string, `${jws}\n`);
        io.err(`signed ${spec.what} written to ${v.out as string}\n`);
      } else {
        io.out(`${jws}\n`);
      }
    },
  };
}

type Options = Command['options'];

/** Who signs a call: a key file and the party id it belongs to. */
const identityOptions = {
  key: { type: 'string', short: 'k', help: 'private key file (authenticates the call)' },
  iss: { type: 'string', help: 'your party id; default $PDX_PARTY_ID' },
  aud: { type: 'string', help: 'the exchange id; default $PDX_EXCHANGE_ID or "pdx"' },
} satisfies Options;

/** A call to the exchange: identity plus where the exchange is. */
const callOptions = {
  ...identityOptions,
  url: { type: 'string', help: 'exchange base URL; default $PDX_URL or http://127.0.0.1:8080' },
} satisfies Options;

/** GET a JSON document from the exchange, without credentials (the ledger is public by default). */
async function getJson(io: Io, base: string, path: string): Promise<Record<string, unknown>> {
  const { ok, body } = await exchange(io, base.replace(/\/$/, ''), path, {});
  if (!ok) throw new CliError(`${path}: ${problemText(body)}`);
  return body;
}

/** One HTTP exchange; the body as JSON, or a problem-like stand-in when it is not JSON. */
async function exchange(
  io: Io,
  base: string,
  path: string,
  init: RequestInit,
): Promise<{ ok: boolean; body: Record<string, unknown> }> {
  let res: Response;
  try {
    res = await (io.fetch ?? fetch)(`${base}${path}`, init);
  } catch (error) {
    throw new CliError(`cannot reach ${base}: ${(error as Error).message}`);
  }
  const text = await res.text();
  try {
    return { ok: res.ok, body: JSON.parse(text) as Record<string, unknown> };
  } catch {
    return { ok: res.ok, body: { status: res.status, detail: text.slice(0, 500) } };
  }
}

const asCliError = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LedgerCliError) throw new CliError(error.message, error.exitCode);
    throw error;
  }
};

const ledgerCommands: Record<string, Command> = {
  'ledger verify-inclusion': {
    summary:
      'Check offline that an entry is in the exemption ledger: entry + proof + signed head + ledger key.',
    usage:
      'pdx ledger verify-inclusion --key <ledger public key (JWK or JWKS)> (--entry <file> --proof <file> --head <file> | --url <exchange> --seq <n>)',
    options: {
      key: { type: 'string', short: 'k', help: "the ledger's public key you trust (JWK or JWKS file)" },
      entry: { type: 'string', help: 'the entry, as GET /v1/ledger/entries/{seq} serves it' },
      proof: { type: 'string', help: 'the inclusion proof, as GET /v1/ledger/proofs/inclusion serves it' },
      head: { type: 'string', help: 'the signed tree head, as GET /v1/ledger/heads/… serves it' },
      url: { type: 'string', help: 'fetch entry, proof and latest head from this exchange instead' },
      seq: { type: 'string', help: 'with --url: the entry position' },
      save: {
        type: 'string',
        help: 'with --url: also write entry.json, proof.json, head.json to this folder',
      },
    },
    async run(v, io) {
      const keys = await asCliError(async () => ledgerKeys(v.key as string | undefined));
      let entry: Record<string, unknown>;
      let proof: Record<string, unknown>;
      let head: Record<string, unknown>;
      if (v.url) {
        const seq = Number(v.seq);
        if (!Number.isSafeInteger(seq) || seq < 0)
          throw new CliError('--seq <position> is required with --url', 2);
        const base = v.url as string;
        head = await getJson(io, base, '/v1/ledger/heads/latest');
        entry = await getJson(io, base, `/v1/ledger/entries/${seq}`);
        proof = await getJson(
          io,
          base,
          `/v1/ledger/proofs/inclusion?seq=${seq}&treeSize=${String(head.treeSize)}`,
        );
        if (v.save) {
          for (const [name, doc] of Object.entries({ entry, proof, head }))
            writeFileSync(`${v.save as string}/${name}.json`, `${JSON.stringify(doc, null, 2)}\n`);
        }
      } else {
        const file = async (what: 'entry' | 'proof' | 'head') =>
          (await asCliError(async () =>
            readJson(v[what] as string | undefined, what, ' (or --url and --seq)'),
          )) as Record<string, unknown>;
        entry = await file('entry');
        proof = await file('proof');
        head = await file('head');
      }
      io.out(`${await asCliError(() => verifyInclusionFiles(entry, proof, head, keys))}\n`);
    },
  },
  'ledger monitor': {
    summary:
      'Follow the ledger: every new signed head must extend the last one verified (RFC 9162 consistency).',
    usage:
      'pdx ledger monitor --url <exchange> --key <ledger public key> --state <file> [--interval <seconds>] [--once]',
    options: {
      url: { type: 'string', help: 'exchange base URL; default $PDX_URL or http://127.0.0.1:8080' },
      key: { type: 'string', short: 'k', help: "the ledger's public key you trust (JWK or JWKS file)" },
      state: { type: 'string', help: 'file keeping the last verified head (created on first use)' },
      interval: { type: 'string', help: 'seconds between checks (default 60)' },
      once: { type: 'boolean', help: 'check once and exit' },
    },
    async run(v, io) {
      const keys = await asCliError(async () => ledgerKeys(v.key as string | undefined));
      const stateFile = v.state as string | undefined;
      if (!stateFile) throw new CliError('--state <file> is required', 2);
      const base = (v.url as string | undefined) ?? io.env.PDX_URL ?? 'http://127.0.0.1:8080';
      const interval = Number(v.interval ?? 60);
      if (!(interval > 0)) throw new CliError('--interval is a number of seconds', 2);
      for (;;) {
        const latest = await getJson(io, base, '/v1/ledger/heads/latest');
        const { state, message } = await asCliError(() =>
          monitorStep(readState(stateFile), latest, keys, (first, second) =>
            getJson(io, base, `/v1/ledger/proofs/consistency?first=${first}&second=${second}`),
          ),
        );
        writeState(stateFile, state);
        io.out(`${new Date(io.now()).toISOString()} ${message}\n`);
        if (v.once) return;
        await new Promise((r) => setTimeout(r, interval * 1000));
      }
    },
  },
};

const commands: Record<string, Command> = {
  keygen: {
    summary: 'Create a signing key pair; the private key stays in a local file (mode 0600).',
    usage: 'pdx keygen --out <file> [--kid <id>] [--alg EdDSA|ES256] [--force]',
    options: {
      out: { type: 'string', short: 'o', help: 'file for the private key (JWK)' },
      kid: { type: 'string', help: 'key id (default: today, e.g. 2026-11-30)' },
      alg: { type: 'string', help: 'EdDSA (Ed25519, default) or ES256 (P-256)' },
      force: { type: 'boolean', help: 'overwrite an existing file' },
    },
    async run(v, io) {
      const out = v.out as string | undefined;
      if (!out) throw new CliError('--out <file> is required', 2);
      const alg = (v.alg ?? 'EdDSA') as string;
      if (alg !== 'EdDSA' && alg !== 'ES256')
        throw new CliError(`--alg must be EdDSA or ES256, not ${alg}`, 2);
      if (existsSync(out) && !v.force) throw new CliError(`${out} exists; pass --force to replace it`);
      const kid = (v.kid as string | undefined) ?? new Date(io.now()).toISOString().slice(0, 10);
      const { privateJwk, publicJwk } = await generateSigningKey(alg as SignatureAlgorithm, kid);
      writeFileSync(out, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
      chmodSync(out, 0o600);
      io.err(`private key written to ${out} (mode 0600); keep it there. Its public JWKS:\n`);
      io.out(`${JSON.stringify({ keys: [publicJwk] }, null, 2)}\n`);
    },
  },
  jwks: {
    summary: 'Print the public JWKS of a private key file (what the exchange registers).',
    usage: 'pdx jwks --key <file>',
    options: { key: { type: 'string', short: 'k', help: 'private key file' } },
    async run(v, io) {
      io.out(
        `${JSON.stringify({ keys: [publicPart(readPrivateKey(v.key as string | undefined))] }, null, 2)}\n`,
      );
    },
  },
  token: {
    summary: 'Print a single-use bearer token (valid 2 minutes) for one API call.',
    usage: 'pdx token --key <file> --iss <party id> [--aud <exchange id>]',
    options: identityOptions,
    async run(v, io) {
      io.out(`${await tokenFor(io, v)}\n`);
    },
  },
  sign: signingCommand({
    what: 'declaration',
    summary: 'Sign a Declaration of Security (JSON or YAML) as a compact JWS.',
    signer: 'the issuing party',
    schemaId: 'urn:pdx:schema:api:declaration-of-security.v1',
    typ: DECLARATION_TYP,
  }),
  submit: {
    summary: 'Submit a signed declaration (JWS file) to the exchange; prints the verification report.',
    usage: 'pdx submit --key <file> --iss <party id> <declaration.jws> [--url <exchange>]',
    options: callOptions,
    async run(v, io, positionals) {
      const file = positionals[0];
      if (!file) throw new CliError('name the declaration JWS file to submit', 2);
      if (!existsSync(file)) throw new CliError(`no file at ${file}`);
      const res = await call(io, v, 'POST', '/v1/declarations', {
        'content-type': 'application/jose',
        body: readFileSync(file, 'utf8').trim(),
      });
      printReport(io, res.body.verification as VerificationReport | undefined);
      if (!res.ok) throw new CliError(problemText(res.body));
      io.out(`${JSON.stringify(res.body, null, 2)}\n`);
    },
  },
  attest: signingCommand({
    what: 'attestation',
    summary: "Sign a certificate attestation (JSON or YAML) as an issuer's compact JWS.",
    signer: 'the issuer',
    schemaId: 'urn:pdx:schema:api:certificate-attestation.v1',
    typ: ATTESTATION_TYP,
  }),
  'submit-attestation': {
    summary: 'Submit a signed certificate attestation (JWS file), as its issuer or its holder.',
    usage: 'pdx submit-attestation --key <file> --iss <party id> <attestation.jws> [--url <exchange>]',
    options: callOptions,
    async run(v, io, positionals) {
      const file = positionals[0];
      if (!file) throw new CliError('name the attestation JWS file to submit', 2);
      if (!existsSync(file)) throw new CliError(`no file at ${file}`);
      const res = await call(io, v, 'POST', '/v1/certificates/attestations', {
        'content-type': 'application/jose',
        body: readFileSync(file, 'utf8').trim(),
      });
      printReport(io, (res.body.verification as VerificationReport | undefined) ?? undefined);
      if (!res.ok) throw new CliError(problemText(res.body));
      io.out(`${JSON.stringify(res.body, null, 2)}\n`);
    },
  },
  declarations: {
    summary: 'List your declarations (or, as a linked buyer, those of --issuer).',
    usage: 'pdx declarations --key <file> --iss <party id> [--issuer <party id>] [--url <exchange>]',
    options: { ...callOptions, issuer: { type: 'string', help: 'whose declarations (default: yours)' } },
    async run(v, io) {
      const query = v.issuer ? `?issuer=${encodeURIComponent(v.issuer as string)}` : '';
      const res = await call(io, v, 'GET', `/v1/declarations${query}`);
      if (!res.ok) throw new CliError(problemText(res.body));
      const list = res.body.declarations as {
        declarationId: string;
        state: string;
        submittedAt: string;
        recipients: string[];
      }[];
      if (list.length === 0) io.err('no declarations\n');
      for (const d of list)
        io.out(`${d.declarationId}\t${d.state}\t${d.submittedAt}\t${d.recipients.join(',')}\n`);
    },
  },
  verify: {
    summary: "Verify a declaration JWS offline against the issuer's JWKS; prints one result per check.",
    usage: 'pdx verify --jwks <jwks.json | party.json> [--issuer <party id>] <declaration.jws>',
    options: {
      jwks: {
        type: 'string',
        help: "the issuer's public JWKS, or its party record (GET /v1/parties/<id>) with key revocations",
      },
      issuer: { type: 'string', help: 'the party the declaration must be issued by (default: as it states)' },
    },
    async run(v, io, positionals) {
      const file = positionals[0];
      if (!file) throw new CliError('name the declaration JWS file to verify', 2);
      if (!existsSync(file)) throw new CliError(`no file at ${file}`);
      const jwksFile = v.jwks as string | undefined;
      if (!jwksFile || !existsSync(jwksFile))
        throw new CliError('--jwks <file> is required and must exist', 2);
      let keySource: unknown;
      try {
        keySource = JSON.parse(readFileSync(jwksFile, 'utf8'));
      } catch {
        throw new CliError(`${jwksFile} is not JSON`);
      }
      const keys = keyRecords(keySource);
      const jws = readFileSync(file, 'utf8').trim();
      // A party record names its party: the declaration must be issued by it, not merely claim so.
      let issuer = (v.issuer as string | undefined) ?? (keySource as { partyId?: string }).partyId;
      if (!issuer) {
        try {
          issuer = (
            JSON.parse(Buffer.from(jws.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
              issuer?: string;
            }
          ).issuer;
        } catch {}
      }
      try {
        const verified = await verifyDeclaration(jws, { partyId: issuer ?? '', keys }, new SchemaRegistry(), {
          now: io.now(),
          maxAheadMs: 3650 * 86_400_000,
          skewMs: 300_000,
        });
        printReport(io, verified.report);
        io.out('VALID\n');
      } catch (error) {
        if (!(error instanceof VerificationRefused)) throw error;
        printReport(io, error.report);
        throw new CliError(`INVALID: ${error.code}: ${error.message}`);
      }
    },
  },
  'verify-statement': verifyStatementCommand((message, exitCode) => new CliError(message, exitCode)),
  ...ledgerCommands,
};

/** Accepts a JWKS ({keys:[jwk]}) or a party record ({keys:[{jwk, addedAt, revokedFrom?}]}). */
function keyRecords(value: unknown): KeyRecord[] {
  const keys = (value as { keys?: unknown[] } | null)?.keys;
  if (!Array.isArray(keys)) throw new CliError('--jwks must hold {"keys": [...]}');
  return keys.map((k) => {
    const entry = k as { jwk?: PublicJwk; addedAt?: string; revokedFrom?: string } & PublicJwk;
    if (entry.jwk)
      return {
        jwk: entry.jwk,
        addedAt: entry.addedAt ?? '',
        ...(entry.revokedFrom ? { revokedFrom: entry.revokedFrom } : {}),
      };
    return { jwk: entry, addedAt: '' };
  });
}

/** A single-use bearer token for the identity the options name. */
function tokenFor(io: Io, v: Record<string, string | boolean | undefined>): Promise<string> {
  const issuer = (v.iss as string | undefined) ?? io.env.PDX_PARTY_ID;
  if (!issuer) throw new CliError('--iss <party id> is required', 2);
  return mintAuthToken({
    privateJwk: readPrivateKey(v.key as string | undefined),
    issuer,
    audience: (v.aud as string | undefined) ?? io.env.PDX_EXCHANGE_ID ?? 'pdx',
    now: io.now(),
  });
}

function printReport(io: Io, report: VerificationReport | undefined): void {
  if (!report) return;
  for (const c of report.checks) {
    io.err(
      `${c.status.padEnd(8)} ${c.check}${c.code ? `  ${c.code}` : ''}${c.detail ? `  ${c.detail}` : ''}\n`,
    );
  }
}

function problemText(body: Record<string, unknown>): string {
  const pointer = body.pointer ? ` at ${String(body.pointer)}` : '';
  return `${String(body.status ?? '')} ${String(body.code ?? 'error')}${pointer}: ${String(body.detail ?? body.title ?? '')}`;
}

async function call(
  io: Io,
  v: Record<string, string | boolean | undefined>,
  method: 'GET' | 'POST',
  path: string,
  send?: { 'content-type': string; body: string },
): Promise<{ ok: boolean; body: Record<string, unknown> }> {
  const token = await tokenFor(io, v);
  const base = ((v.url as string | undefined) ?? io.env.PDX_URL ?? 'http://127.0.0.1:8080').replace(
    /\/$/,
    '',
  );
  return exchange(io, base, path, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(send ? { 'content-type': send['content-type'] } : {}),
    },
    ...(send ? { body: send.body } : {}),
  });
}

function help(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    'pdx — the partner declaration exchange, from the command line',
    '',
    'Usage: pdx <command> [options]   (pdx <command> --help for its options)',
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
  ].join('\n');
}

function commandHelp(c: Command): string {
  return [
    `${c.summary}`,
    '',
    `Usage: ${c.usage}`,
    '',
    ...Object.entries(c.options).map(([o, d]) => `  --${o.padEnd(8)} ${d.help}`),
    '  --help     show this help',
    '',
  ].join('\n');
}

/** Runs one command line; returns the process exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...others] = argv;
  // Two-word commands: `pdx ledger verify-inclusion`, `pdx ledger monitor`.
  const [name, rest] =
    first === 'ledger' && others[0] !== undefined && !others[0].startsWith('-')
      ? [`ledger ${others[0]}`, others.slice(1)]
      : [first, others];
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(help());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`pdx: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  try {
    const { values, positionals } = parseArgs({
      args: [...rest],
      options: {
        ...Object.fromEntries(
          Object.entries(command.options).map(([o, d]) => [
            o,
            d.short ? { type: d.type, short: d.short } : { type: d.type },
          ]),
        ),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
    if (values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    await command.run(values as Record<string, string | boolean | undefined>, io, positionals);
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.err(`pdx ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`pdx ${name}: ${(error as Error).message}\n\n${commandHelp(command)}`);
      return 2;
    }
    io.err(`pdx ${name}: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type KeyPurpose, keyStateOf, type PublicJwk, SchemaRegistry } from '@pdx/contracts';
import {
  ATTESTATION_TYP,
  DECLARATION_TYP,
  generateSigningKey,
  type KeyRecord,
  publicPart,
  type SignatureAlgorithm,
  signCompact,
  VerificationRefused,
  type VerificationReport,
  verifyDeclaration,
} from '@pdx/crypto';
import { parse as parseYaml } from 'yaml';
import { cliVersion, closest, commandHelp, commandList, parseCommandArgs } from './args.js';
import { buyerCommands } from './buyer.js';
import { callCommand } from './call.js';
import {
  type Answer,
  baseUrl,
  CliError,
  type Command,
  call,
  callOptions,
  clientAssertionFor,
  DEFAULT_URL,
  type Io,
  notThereYet,
  problemText,
  readPrivateKey,
  request,
  str,
  tokenFor,
  waitOptions,
  withWait,
} from './command.js';
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

export { CliError, type Command, type Io } from './command.js';

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
    positionals: { min: 0, max: 0 },
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

/** GET a JSON document from the exchange, without credentials (the ledger is public by default). */
async function getJson(io: Io, base: string, path: string): Promise<Record<string, unknown>> {
  const { ok, body } = await request(io, `${base.replace(/\/$/, '')}${path}`, {});
  if (!ok) throw new CliError(`${path}: ${problemText(body)}`);
  return body;
}

const asCliError = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LedgerCliError) throw new CliError(error.message, error.exitCode);
    throw error;
  }
};

const ledgerUrlOption = {
  url: { type: 'string', help: `exchange base URL; default $PDX_URL or ${DEFAULT_URL}` },
} satisfies Command['options'];

const ledgerCommands: Record<string, Command> = {
  'ledger key': {
    summary: "Fetch the ledger's public key once, to keep and trust in later checks.",
    usage: 'pdx ledger key [--url <exchange>] [--out <ledger.jwk.json>] [--force]',
    positionals: { min: 0, max: 0 },
    options: {
      ...ledgerUrlOption,
      out: { type: 'string', short: 'o', help: 'write the public JWK here (default: stdout)' },
      force: { type: 'boolean', help: 'replace an existing file' },
    },
    notes: [
      'The key comes from the exchange you are checking: compare its note verifier key (printed)',
      'with the one its operator publishes elsewhere before you rely on it.',
    ],
    async run(v, io) {
      const out = str(v, 'out');
      // A trusted key is not replaced by accident: that would silence every later check.
      if (out && existsSync(out) && !v.force) throw new CliError(`${out} exists; pass --force to replace it`);
      const info = await getJson(io, baseUrl(io, v), '/v1/ledger');
      const key = info.publicKey as PublicJwk | undefined;
      if (!key || typeof key !== 'object') throw new CliError('the exchange published no ledger key');
      const text = `${JSON.stringify(key, null, 2)}\n`;
      if (out) writeFileSync(out, text);
      else io.out(text);
      io.err(
        `ledger ${String(info.origin)}: key ${String(key.kid)}${out ? ` written to ${out}` : ''}; note verifier key ${String(info.verifierKey)}\n`,
      );
    },
  },
  'ledger verify-inclusion': {
    summary:
      'Check offline that an entry is in the exemption ledger: entry + proof + signed head + ledger key.',
    usage:
      'pdx ledger verify-inclusion --key <ledger public key (JWK or JWKS)> (--seq <n> [--url <exchange>] [--save <folder>] [--wait] | --entry <file> --proof <file> --head <file>)',
    positionals: { min: 0, max: 0 },
    options: {
      key: { type: 'string', short: 'k', help: "the ledger's public key you trust (JWK or JWKS file)" },
      seq: { type: 'string', help: 'fetch this entry, its proof and the latest head from the exchange' },
      ...ledgerUrlOption,
      save: {
        type: 'string',
        help: 'with --seq: also write entry.json, proof.json, head.json to this folder',
      },
      entry: { type: 'string', help: 'the entry, as GET /v1/ledger/entries/{seq} serves it' },
      proof: { type: 'string', help: 'the inclusion proof, as GET /v1/ledger/proofs/inclusion serves it' },
      head: { type: 'string', help: 'the signed tree head, as GET /v1/ledger/heads/… serves it' },
      wait: {
        type: 'boolean',
        help: 'with --seq: wait until a signed head covers the entry (heads follow appends by about a second)',
      },
      timeout: { type: 'string', help: 'with --wait: seconds to keep trying (default 10)' },
    },
    async run(v, io) {
      const keys = await asCliError(async () => ledgerKeys(v.key as string | undefined));
      let entry: Record<string, unknown>;
      let proof: Record<string, unknown>;
      let head: Record<string, unknown>;
      const files = (['entry', 'proof', 'head'] as const).filter((f) => v[f] !== undefined);
      if (v.seq !== undefined || v.url !== undefined) {
        if (files.length > 0)
          throw new CliError('give either --seq (to fetch) or --entry/--proof/--head files', 2);
        const seq = Number(v.seq);
        if (v.seq === undefined || !Number.isSafeInteger(seq) || seq < 0)
          throw new CliError('--seq <position> (0, 1, …) names the entry to fetch', 2);
        const base = baseUrl(io, v);
        const latest = await withWait(
          io,
          v,
          () => request(io, `${base}/v1/ledger/heads/latest`, {}),
          (a) => a.status === 404 || (a.ok && !(Number(a.body.treeSize) > seq)),
        );
        if (!latest.ok) throw new CliError(`/v1/ledger/heads/latest: ${problemText(latest.body)}`);
        head = latest.body;
        if (!(Number(head.treeSize) > seq)) {
          throw new CliError(
            `the latest signed head covers entries 0 to ${Number(head.treeSize) - 1}, not ${seq}${v.wait ? '' : ' (--wait waits for the next head)'}`,
          );
        }
        entry = await getJson(io, base, `/v1/ledger/entries/${seq}`);
        proof = await getJson(
          io,
          base,
          `/v1/ledger/proofs/inclusion?seq=${seq}&treeSize=${String(head.treeSize)}`,
        );
        const save = str(v, 'save');
        if (save) {
          for (const [name, doc] of Object.entries({ entry, proof, head }))
            writeFileSync(`${save}/${name}.json`, `${JSON.stringify(doc, null, 2)}\n`);
        }
      } else {
        const file = async (what: 'entry' | 'proof' | 'head') =>
          (await asCliError(async () =>
            readJson(v[what] as string | undefined, what, ' (or --seq to fetch them)'),
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
      'pdx ledger monitor --key <ledger public key> --state <file> [--url <exchange>] [--interval <seconds>] [--once]',
    positionals: { min: 0, max: 0 },
    options: {
      ...ledgerUrlOption,
      key: { type: 'string', short: 'k', help: "the ledger's public key you trust (JWK or JWKS file)" },
      state: { type: 'string', help: 'file keeping the last verified head (created on first use)' },
      interval: { type: 'string', help: 'seconds between checks (default 60)' },
      once: { type: 'boolean', help: 'check once and exit (without it, it follows until stopped)' },
    },
    notes: [
      'It runs until stopped (Ctrl-C) and exits 1 with INCONSISTENT: … when a head does not extend the last.',
    ],
    async run(v, io) {
      const keys = await asCliError(async () => ledgerKeys(v.key as string | undefined));
      const stateFile = v.state as string | undefined;
      if (!stateFile) throw new CliError('--state <file> is required', 2);
      const base = baseUrl(io, v);
      const interval = Number(v.interval ?? 60);
      if (!(interval > 0)) throw new CliError('--interval is a number of seconds', 2);
      const sleep = io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
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
        await sleep(interval * 1000);
      }
    },
  },
};

const commands: Record<string, Command> = {
  keygen: {
    summary: 'Create a signing key pair; the private key stays in a local file (mode 0600).',
    usage:
      'pdx keygen --out <file> [--kid <id>] [--alg EdDSA|ES256] [--purpose authentication|signing]... [--force]',
    positionals: { min: 0, max: 0 },
    options: {
      out: { type: 'string', short: 'o', help: 'file for the private key (JWK)' },
      kid: { type: 'string', help: 'key id (default: today, e.g. 2026-11-30)' },
      alg: { type: 'string', help: 'EdDSA (Ed25519, default) or ES256 (P-256)' },
      purpose: {
        type: 'string',
        multiple: true,
        help: 'what the exchange accepts the key for: authentication (sign-in only) or signing; default both',
      },
      force: { type: 'boolean', help: 'overwrite an existing file' },
    },
    notes: [
      '`--purpose authentication` makes a sign-in key (for staff or the console): it gets tokens but',
      'cannot sign declarations or attestations. The printed public JWK carries the `purposes` member',
      'the exchange registers.',
    ],
    async run(v, io) {
      const out = v.out as string | undefined;
      if (!out) throw new CliError('--out <file> is required', 2);
      const alg = (v.alg ?? 'EdDSA') as string;
      if (alg !== 'EdDSA' && alg !== 'ES256')
        throw new CliError(`--alg must be EdDSA or ES256, not ${alg}`, 2);
      const purposes = keyPurposes(v.purpose as string[] | undefined);
      if (existsSync(out) && !v.force) throw new CliError(`${out} exists; pass --force to replace it`);
      const kid = (v.kid as string | undefined) ?? new Date(io.now()).toISOString().slice(0, 10);
      const { privateJwk, publicJwk } = await generateSigningKey(alg as SignatureAlgorithm, kid);
      writeFileSync(out, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
      chmodSync(out, 0o600);
      io.err(`private key written to ${out} (mode 0600); keep it there. Its public JWKS:\n`);
      io.out(`${JSON.stringify({ keys: [purposes ? { ...publicJwk, purposes } : publicJwk] }, null, 2)}\n`);
    },
  },
  jwks: {
    summary: 'Print the public JWKS of a private key file (what the exchange registers).',
    usage: 'pdx jwks --key <file>',
    positionals: { min: 0, max: 0 },
    options: { key: { type: 'string', short: 'k', help: 'private key file' } },
    async run(v, io) {
      io.out(
        `${JSON.stringify({ keys: [publicPart(readPrivateKey(v.key as string | undefined))] }, null, 2)}\n`,
      );
    },
  },
  token: {
    summary: 'Get an access token from the exchange (OAuth client credentials) and print it.',
    usage: 'pdx token --key <file> --iss <party id> [--url <exchange>] [--assertion [--aud <issuer>]]',
    positionals: { min: 0, max: 0 },
    options: {
      ...callOptions,
      assertion: {
        type: 'boolean',
        help: 'print a client assertion (valid 1 minute, used once) for POST /oauth/token instead',
      },
    },
    notes: [
      'The access token is good for every call until it expires (expires_in, 10 minutes by default):',
      '  curl -H "Authorization: Bearer $(pdx token --key acme.key.json --iss acme)" …',
      'With --assertion, it prints the signed client assertion (RFC 7523) to exchange yourself:',
      '  curl -d grant_type=client_credentials \\',
      '       -d client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer \\',
      '       -d client_assertion=$(pdx token --assertion --key acme.key.json --iss acme) $PDX_URL/oauth/token',
    ],
    async run(v, io) {
      io.out(`${v.assertion ? await clientAssertionFor(io, v) : await tokenFor(io, v)}\n`);
    },
  },
  call: callCommand,
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
    positionals: { min: 1, max: 1 },
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
    positionals: { min: 1, max: 1 },
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
    usage: 'pdx declarations --key <file> --iss <party id> [--issuer <party id>] [--url <exchange>] [--wait]',
    positionals: { min: 0, max: 0 },
    options: {
      ...callOptions,
      issuer: { type: 'string', help: 'whose declarations (default: yours)' },
      ...waitOptions,
    },
    notes: [
      'With --wait it retries until the list is not empty (the status service applies submissions a moment later).',
    ],
    async run(v, io) {
      const query = v.issuer ? `?issuer=${encodeURIComponent(v.issuer as string)}` : '';
      const res = await withWait(
        io,
        v,
        () => call(io, v, 'GET', `/v1/declarations${query}`),
        (a: Answer) =>
          notThereYet(a) || (a.ok && (a.body.declarations as unknown[] | undefined)?.length === 0),
      );
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
    positionals: { min: 1, max: 1 },
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
  ...buyerCommands,
  'verify-statement': verifyStatementCommand((message, exitCode) => new CliError(message, exitCode)),
  ...ledgerCommands,
};

/** `--purpose` values: each known, once; none given: undefined (the key is for both). */
function keyPurposes(given: readonly string[] | undefined): KeyPurpose[] | undefined {
  if (given === undefined || given.length === 0) return undefined;
  const known: readonly string[] = ['authentication', 'signing'];
  given.forEach((p, i) => {
    if (!known.includes(p)) throw new CliError(`--purpose must be authentication or signing, not ${p}`, 2);
    if (given.indexOf(p) !== i) throw new CliError(`--purpose ${p} is given twice`, 2);
  });
  return [...given] as KeyPurpose[];
}

/**
 * Accepts a JWKS ({keys:[jwk]}, a JWK's `purposes` member read as the exchange reads it) or a
 * party record ({keys:[{jwk, addedAt, purposes?, revokedFrom?, revocationReason?}]}).
 */
function keyRecords(value: unknown): KeyRecord[] {
  const keys = (value as { keys?: unknown[] } | null)?.keys;
  if (!Array.isArray(keys)) throw new CliError('--jwks must hold {"keys": [...]}');
  return keys.map((k) => {
    const entry = k as { jwk?: PublicJwk } & Partial<KeyRecord> & PublicJwk;
    if (entry.jwk)
      return {
        jwk: entry.jwk,
        addedAt: entry.addedAt ?? '',
        ...(entry.purposes ? { purposes: entry.purposes } : {}),
        ...(entry.revokedFrom ? { revokedFrom: entry.revokedFrom } : {}),
        ...(entry.revocationReason ? { revocationReason: entry.revocationReason } : {}),
      };
    return keyStateOf(entry, '');
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

const TITLE = 'pdx — the partner declaration exchange, from the command line';

function help(): string {
  return `${commandList(TITLE, 'pdx <command> [options]   (pdx <command> --help for its options)', commands)}
Environment: PDX_URL (the exchange, default ${DEFAULT_URL}), PDX_KEY and PDX_ISS (who calls:
a key file and its party id, instead of --key and --iss), PDX_EXCHANGE_ID (token audience).
pdx --version prints the version. Exit codes: 0 success, 1 failure, 2 usage error.
`;
}

/** Commands named `<group> <sub>` (`ledger verify-inclusion`): `pdx <group> --help` lists them. */
function groupOf(name: string): Record<string, Command> | undefined {
  const members = Object.entries(commands).filter(([c]) => c.startsWith(`${name} `));
  return members.length === 0 ? undefined : Object.fromEntries(members);
}

/** Prints a usage error: what is wrong, then where to look. */
function usageError(io: Io, prefix: string, message: string, hint: string): number {
  io.err(`${prefix}: ${message}\n${hint}\n`);
  return 2;
}

/** Runs one command line; returns the process exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...others] = argv;
  if (first === undefined) {
    io.out(help());
    return 2;
  }
  if (first === '--version' || first === '-V' || first === 'version') {
    io.out(`pdx ${cliVersion()}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const asked = others.join(' ');
    const target = asked ? (commands[asked] ?? groupOf(asked)) : undefined;
    if (asked && !target) return usageError(io, 'pdx help', `no command "${asked}"`, 'pdx --help lists them');
    if (target && 'run' in target) io.out(commandHelp(target as Command));
    else if (target)
      io.out(commandList(`pdx ${asked}: its commands`, `pdx ${asked} <command> [options]`, target));
    else io.out(help());
    return 0;
  }
  // Two-word commands: `pdx ledger verify-inclusion`, `pdx ledger monitor`.
  const group = groupOf(first);
  if (group) {
    const sub = others[0];
    if (sub === undefined || sub.startsWith('-')) {
      const list = commandList(`pdx ${first}: its commands`, `pdx ${first} <command> [options]`, group);
      if (sub === '--help' || sub === '-h') {
        io.out(list);
        return 0;
      }
      io.err(sub === undefined ? list : `pdx ${first}: name a command first\n\n${list}`);
      return 2;
    }
    if (!commands[`${first} ${sub}`]) {
      const hint = closest(
        sub,
        Object.keys(group).map((c) => c.slice(first.length + 1)),
      );
      return usageError(
        io,
        `pdx ${first}`,
        `unknown command "${sub}"${hint ? `: did you mean "${first} ${hint}"?` : ''}`,
        `pdx ${first} --help lists them`,
      );
    }
  }
  const name = group ? `${first} ${others[0]}` : first;
  const rest = group ? others.slice(1) : others;
  const command = commands[name];
  if (!command) {
    const hint = closest(name, Object.keys(commands));
    return usageError(
      io,
      'pdx',
      `unknown command "${name}"${hint ? `: did you mean "${hint}"?` : ''}`,
      'pdx --help lists the commands',
    );
  }
  try {
    const { values, positionals } = parseCommandArgs(name, command, rest);
    if (values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    await command.run(values, io, positionals);
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      if (error.exitCode === 2)
        return usageError(io, `pdx ${name}`, error.message, `Usage: ${command.usage}`);
      io.err(`pdx ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    io.err(`pdx ${name}: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

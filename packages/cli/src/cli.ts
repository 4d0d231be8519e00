import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  generateSigningKey,
  mintAuthToken,
  type PrivateJwk,
  publicPart,
  type SignatureAlgorithm,
} from '@pdx/crypto';

/** Where a command writes, and the clock it reads; the tests substitute both. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  now(): number;
  env: Readonly<Record<string, string | undefined>>;
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
  run(values: Record<string, string | boolean | undefined>, io: Io): Promise<void>;
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
    options: {
      key: { type: 'string', short: 'k', help: 'private key file' },
      iss: { type: 'string', help: 'your party id (or operator id); default $PDX_PARTY_ID' },
      aud: { type: 'string', help: 'the exchange id; default $PDX_EXCHANGE_ID or "pdx"' },
    },
    async run(v, io) {
      const issuer = (v.iss as string | undefined) ?? io.env.PDX_PARTY_ID;
      if (!issuer) throw new CliError('--iss <party id> is required', 2);
      const token = await mintAuthToken({
        privateJwk: readPrivateKey(v.key as string | undefined),
        issuer,
        audience: (v.aud as string | undefined) ?? io.env.PDX_EXCHANGE_ID ?? 'pdx',
        now: io.now(),
      });
      io.out(`${token}\n`);
    },
  },
};

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
  const [name, ...rest] = argv;
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
    const { values } = parseArgs({
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
      allowPositionals: false,
    });
    if (values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    await command.run(values as Record<string, string | boolean | undefined>, io);
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

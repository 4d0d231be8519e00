import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import type { KeyPurpose } from '@pdx/contracts';
import { generateSigningKey, publicPart, type SignatureAlgorithm } from '@pdx/crypto';
import { CliError, type Command, readPrivateKey } from '../command.js';

/** `pdx keygen`, `pdx jwks`: a party's signing keys, made and kept on its own machine. */
export const keyCommands: Record<string, Command> = {
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

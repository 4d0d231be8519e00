import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { canonicalJson, type PublicJwk } from '@pdx/contracts';
import { compactVerify, decodeProtectedHeader, importJWK } from 'jose';
import type { Command, Io } from './command.js';
import { CliError, exchangeFailed, inputInvalid, verificationFailed } from './errors.js';

/** Explicit type of the exchange's signature over a Statement of Application. */
export const STATEMENT_TYP = 'pdx-statement+jws';
const ALGORITHMS = ['EdDSA', 'ES256'] as const;

export type CheckStatus = 'VALID' | 'INVALID' | 'SKIPPED';

/** One verification step and how it ended (VALID / INVALID / SKIPPED, as OpenAttestation reports). */
export interface StatementCheck {
  check: 'key' | 'digest' | 'signature';
  status: CheckStatus;
  detail: string;
}

interface SignatureMember {
  kid: string;
  alg: string;
  digest: string;
  jws: string;
}

/**
 * A saved statement: the JSON answer of `GET /v1/statement-of-application`, or the printable
 * page (`?format=html`), which embeds the same signed JSON.
 */
export function parseStatement(text: string): Record<string, unknown> {
  const embedded = /<script type="application\/json" id="pdx-statement">([^<]*)<\/script>/.exec(text);
  const json = embedded ? embedded[1]! : text;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw inputInvalid(
      embedded
        ? 'the page embeds no readable statement JSON'
        : 'not JSON, nor a statement page (save GET /v1/statement-of-application, JSON or ?format=html)',
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw inputInvalid('does not hold a statement object');
  }
  return value as Record<string, unknown>;
}

/** The signature member, checked for shape before anything is computed from it. */
function signatureOf(statement: Record<string, unknown>): SignatureMember {
  const s = statement.signature as Partial<Record<keyof SignatureMember, unknown>> | undefined;
  if (s === null || typeof s !== 'object') {
    throw inputInvalid('carries no signature member: it is not a signed Statement of Application');
  }
  for (const field of ['kid', 'alg', 'digest', 'jws'] as const) {
    if (typeof s[field] !== 'string') throw inputInvalid(`its signature has no ${field}`);
  }
  if (!/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/.test(s.jws as string)) {
    throw inputInvalid('its signature jws is not a detached compact JWS (header..signature)');
  }
  return s as SignatureMember;
}

/** What the exchange signed: the RFC 8785 canonical JSON of the statement without its signature. */
export function signedPayload(statement: Record<string, unknown>): string {
  const { signature: _signature, ...unsigned } = statement;
  return canonicalJson(unsigned);
}

const digestOf = (payload: string) => `sha-256:${createHash('sha256').update(payload, 'utf8').digest('hex')}`;

/**
 * Verifies a saved Statement of Application offline against the exchange's keys, in named
 * steps that each report: the key (the JWS names, by kid, a key of the exchange for its alg and
 * typ), the digest (the document hashes to what its signature block and printed copy say: not
 * altered since), and the signature (the exchange's key signed exactly this content).
 */
export async function verifyStatement(
  statement: Record<string, unknown>,
  keys: readonly PublicJwk[],
): Promise<StatementCheck[]> {
  const signature = signatureOf(statement);
  const [protectedHeader, , sig] = signature.jws.split('.') as [string, string, string];
  const checks: StatementCheck[] = [];

  let jwk: PublicJwk | undefined;
  let alg: (typeof ALGORITHMS)[number] | undefined;
  let header: ReturnType<typeof decodeProtectedHeader> | undefined;
  try {
    header = decodeProtectedHeader(`${protectedHeader}.e30.${sig}`);
  } catch {
    header = undefined;
  }
  const keyProblem = (() => {
    if (!header) return 'the JWS protected header is not base64url JSON';
    if (header.typ !== STATEMENT_TYP) return `the JWS typ is ${String(header.typ)}, not ${STATEMENT_TYP}`;
    if (!ALGORITHMS.includes(header.alg as (typeof ALGORITHMS)[number]))
      return `the JWS alg ${String(header.alg)} is not EdDSA or ES256`;
    if (header.kid !== signature.kid || header.alg !== signature.alg)
      return `the JWS names ${String(header.kid)} (${String(header.alg)}), the signature member ${signature.kid} (${signature.alg})`;
    const found = keys.find((k) => k.kid === header.kid);
    if (!found)
      return `signed by another key: ${header.kid} is not among the exchange's keys (${keys.map((k) => k.kid).join(', ') || 'none'})`;
    const fits =
      header.alg === 'EdDSA'
        ? found.kty === 'OKP' && found.crv === 'Ed25519'
        : found.kty === 'EC' && found.crv === 'P-256';
    if (!fits || (found.alg !== undefined && found.alg !== header.alg))
      return `the exchange's key ${found.kid} is not a ${header.alg} key`;
    jwk = found;
    alg = header.alg as (typeof ALGORITHMS)[number];
    return undefined;
  })();
  checks.push(
    keyProblem === undefined
      ? {
          check: 'key',
          status: 'VALID',
          detail: `${signature.kid} (${signature.alg}), one of the exchange's keys`,
        }
      : { check: 'key', status: 'INVALID', detail: keyProblem },
  );

  const payload = signedPayload(statement);
  const digest = digestOf(payload);
  checks.push(
    digest === signature.digest
      ? { check: 'digest', status: 'VALID', detail: digest }
      : {
          check: 'digest',
          status: 'INVALID',
          detail: `the statement was altered after it was signed: it hashes to ${digest}, its signature records ${signature.digest}`,
        },
  );

  if (!jwk || !alg) {
    checks.push({
      check: 'signature',
      status: 'SKIPPED',
      detail: 'no key of the exchange to verify it with',
    });
    return checks;
  }
  try {
    const key = await importJWK({ ...jwk }, alg);
    await compactVerify(
      `${protectedHeader}.${Buffer.from(payload, 'utf8').toString('base64url')}.${sig}`,
      key,
      {
        algorithms: [alg],
      },
    );
    checks.push({
      check: 'signature',
      status: 'VALID',
      detail: `by ${signature.kid} over this statement as it is`,
    });
  } catch {
    checks.push({
      check: 'signature',
      status: 'INVALID',
      detail: `does not verify with ${signature.kid}: the statement was altered after signing, or another key signed it`,
    });
  }
  return checks;
}

/** The exchange's public keys from a JWKS or a single JWK. */
export function publicKeysOf(value: unknown, where: string): PublicJwk[] {
  const v = value as { keys?: unknown } | null;
  const keys = Array.isArray(v?.keys) ? (v.keys as unknown[]) : [value];
  if (
    keys.length === 0 ||
    keys.some((k) => k === null || typeof k !== 'object' || typeof (k as { kty?: unknown }).kty !== 'string')
  ) {
    throw inputInvalid(`${where} is not a JWKS ({"keys": [...]}) or a JWK`);
  }
  if (keys.some((k) => (k as { d?: unknown }).d !== undefined)) {
    throw inputInvalid(`${where} holds a private key: give the exchange's public keys`);
  }
  return keys as PublicJwk[];
}

/**
 * `pdx verify-statement FILE (--jwks FILE | --url BASE)`: prints each check and exits
 * non-zero with the reason when the statement was altered or signed by another key.
 */
export const verifyStatementCommand: Command = {
  summary:
    "Verify a saved Statement of Application offline against the exchange's key: key, digest, signature.",
  usage: 'pdx verify-statement <statement.json | statement.html> (--jwks <jwks.json> | --url <exchange>)',
  options: {
    jwks: {
      type: 'string',
      help: "the exchange's public keys (a JWKS file, e.g. a saved /.well-known/jwks.json)",
    },
    url: { type: 'string', help: "fetch the exchange's keys from <url>/.well-known/jwks.json" },
  },
  async run(v, io, positionals) {
    const file = positionals[0];
    if (!file) throw new CliError('name the saved statement to verify (JSON or the printable page)', 2);
    if (!existsSync(file)) throw inputInvalid(`no file at ${file}`);
    if ((v.jwks === undefined) === (v.url === undefined))
      throw new CliError("give the exchange's keys: --jwks <file> or --url <exchange>", 2);
    // What does not hold a statement, or keys, is reported as a problem of the statement file.
    const ofFile = (error: unknown): never => {
      if (error instanceof CliError && error.code === 'PDX_CLI_INPUT_INVALID')
        throw inputInvalid(`${file}: ${error.message}`);
      throw error;
    };
    const inFile = <T>(work: () => T): T => {
      try {
        return work();
      } catch (error) {
        return ofFile(error);
      }
    };
    const statement = inFile(() => parseStatement(readFileSync(file, 'utf8')));
    let keys: PublicJwk[];
    let source: string;
    if (typeof v.jwks === 'string') {
      const jwks = v.jwks;
      if (!existsSync(jwks)) throw inputInvalid(`no file at ${jwks}`);
      keys = inFile(() => {
        let value: unknown;
        try {
          value = JSON.parse(readFileSync(jwks, 'utf8'));
        } catch {
          throw inputInvalid(`${jwks} is not JSON`);
        }
        return publicKeysOf(value, jwks);
      });
      source = jwks;
    } else {
      source = `${String(v.url).replace(/\/$/, '')}/.well-known/jwks.json`;
      const fetched = await fetchJson(io, source);
      keys = inFile(() => publicKeysOf(fetched, source));
    }
    const checks = await verifyStatement(statement, keys).catch(ofFile);
    for (const c of checks) io.out(`${c.status.padEnd(8)} ${c.check.padEnd(9)} ${c.detail}\n`);
    const failed = checks.find((c) => c.status !== 'VALID');
    if (failed) throw verificationFailed(`INVALID: ${failed.check}: ${failed.detail}`);
    const partners = Array.isArray(statement.partners) ? statement.partners.length : 0;
    io.out(
      `VALID    Statement of Application of ${String(statement.buyerId)}, generated ${String(statement.generatedAt)}, ${partners} partner${partners === 1 ? '' : 's'}, keys from ${source}\n`,
    );
  },
};

async function fetchJson(io: Io, url: string): Promise<unknown> {
  let res: Response;
  try {
    res = await (io.fetch ?? fetch)(url);
  } catch (error) {
    throw exchangeFailed(`cannot reach ${url}: ${(error as Error).message}`);
  }
  if (!res.ok) throw exchangeFailed(`${url} answered ${res.status}`);
  try {
    return JSON.parse(await res.text());
  } catch {
    throw exchangeFailed(`${url} did not answer JSON`);
  }
}

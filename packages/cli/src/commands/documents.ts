import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { keyStateOf, type PublicJwk, SchemaRegistry } from '@pdx/contracts';
import {
  ATTESTATION_TYP,
  DECLARATION_TYP,
  type KeyRecord,
  signCompact,
  VerificationRefused,
  type VerificationReport,
  verifyDeclaration,
} from '@pdx/crypto';
import { parse as parseYaml } from 'yaml';
import {
  type Answer,
  CliError,
  type Command,
  call,
  callOptions,
  type Io,
  notThereYet,
  problemText,
  readPrivateKey,
  waitOptions,
  withWait,
} from '../command.js';
import { exchangeFailed, inputInvalid, verificationFailed } from '../errors.js';

/** A JSON or YAML file holding one object (a declaration, an attestation). */
function readDocument(file: string | undefined, what: string): Record<string, unknown> {
  if (!file) throw new CliError(`--in <${what} file> is required`, 2);
  if (!existsSync(file)) throw inputInvalid(`no file at ${file}`);
  const yaml = /\.ya?ml$/i.test(file);
  let value: unknown;
  try {
    value = yaml ? parseYaml(readFileSync(file, 'utf8')) : JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw inputInvalid(`${file} is not valid ${yaml ? 'YAML' : 'JSON'}: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw inputInvalid(`${file} does not hold ${what === 'attestation' ? 'an' : 'a'} ${what} object`);
  }
  return value as Record<string, unknown>;
}

/** The document matches its schema, or the error lists each violation with its pointer. */
function checkDocument(value: unknown, schemaId: string, file: string, what: string): void {
  const violations = new SchemaRegistry().check(schemaId, value);
  if (violations.length > 0) {
    throw inputInvalid(
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

/**
 * What a party signs and sends: declarations and certificate attestations (sign, attest,
 * submit, submit-attestation), its declarations as the exchange holds them, and the offline
 * verification of a declaration (a Statement of Application: verify-statement.ts).
 */
export const documentCommands: Record<string, Command> = {
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
      if (!existsSync(file)) throw inputInvalid(`no file at ${file}`);
      const res = await call(io, v, 'POST', '/v1/declarations', {
        'content-type': 'application/jose',
        body: readFileSync(file, 'utf8').trim(),
      });
      printReport(io, res.body.verification as VerificationReport | undefined);
      if (!res.ok) throw exchangeFailed(problemText(res.body));
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
      if (!existsSync(file)) throw inputInvalid(`no file at ${file}`);
      const res = await call(io, v, 'POST', '/v1/certificates/attestations', {
        'content-type': 'application/jose',
        body: readFileSync(file, 'utf8').trim(),
      });
      printReport(io, (res.body.verification as VerificationReport | undefined) ?? undefined);
      if (!res.ok) throw exchangeFailed(problemText(res.body));
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
      'With --wait it retries until the list is not empty (the directory service applies submissions a moment later).',
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
      if (!res.ok) throw exchangeFailed(problemText(res.body));
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
      if (!existsSync(file)) throw inputInvalid(`no file at ${file}`);
      const jwksFile = v.jwks as string | undefined;
      if (!jwksFile || !existsSync(jwksFile))
        throw new CliError('--jwks <file> is required and must exist', 2);
      let keySource: unknown;
      try {
        keySource = JSON.parse(readFileSync(jwksFile, 'utf8'));
      } catch {
        throw inputInvalid(`${jwksFile} is not JSON`);
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
        throw verificationFailed(`INVALID: ${error.code}: ${error.message}`);
      }
    },
  },
};

/**
 * Accepts a JWKS ({keys:[jwk]}, a JWK's `purposes` member read as the exchange reads it) or a
 * party record ({keys:[{jwk, addedAt, purposes?, revokedFrom?, revocationReason?}]}).
 */
function keyRecords(value: unknown): KeyRecord[] {
  const keys = (value as { keys?: unknown[] } | null)?.keys;
  if (!Array.isArray(keys)) throw inputInvalid('--jwks must hold {"keys": [...]}');
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

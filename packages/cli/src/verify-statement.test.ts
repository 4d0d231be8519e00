import { createHash, createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '@pdx/contracts';
import { generateSigningKey } from '@pdx/crypto';
import { CompactSign } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Io, run } from './cli.js';
import { parseStatement, verifyStatement } from './verify-statement.js';

type Key = Awaited<ReturnType<typeof generateSigningKey>>;

/** A statement as the exchange serves it, signed the way the review service signs it. */
const unsigned = {
  type: 'pdx.statement-of-application',
  standard: 'ISO 28001 4.1',
  buyerId: 'globex',
  legalName: 'Globex Retail BV',
  buyer: { partyId: 'globex', legalName: 'Globex Retail BV', country: 'NL', identifiers: [] },
  generatedAt: '2027-06-01T00:00:00.000Z',
  policyVersion: 2,
  catalogueVersion: 2,
  scope: { functions: ['warehouse'], locations: ['DEHAM'] },
  partners: [
    {
      partnerId: 'acme',
      legalName: 'ACME Logistics GmbH',
      country: 'DE',
      identifiers: [{ scheme: 'EORI', value: 'DE123456789012345' }],
      functions: ['warehouse'],
      locations: ['DEHAM'],
      status: 'exempt',
      clauses: ['4.4(c)'],
      exemption: {
        clause: '4.4(c)',
        certificates: [
          {
            certificateId: 'eu-aeo-aeos~1',
            schemeId: 'eu-aeo-aeos',
            scheme: 'EU AEO — Security and Safety (AEOS)',
            number: 'DE AEOS 00025/08',
            issuingAuthority: { partyId: 'hza-hamburg', name: 'Hauptzollamt Hamburg' },
            trust: 'attested',
            validFrom: '2026-01-01T00:00:00.000Z',
            state: 'active',
          },
        ],
      },
      obligations: [],
    },
  ],
  summary: { partners: 1, exempt: 1 },
};

async function sign(key: Key, statement: object, header: Record<string, string> = {}) {
  const payload = canonicalJson(statement);
  const jws = await new CompactSign(new TextEncoder().encode(payload))
    .setProtectedHeader({ alg: 'EdDSA', kid: key.privateJwk.kid, typ: 'pdx-statement+jws', ...header })
    .sign(createPrivateKey({ key: { ...key.privateJwk }, format: 'jwk' }));
  const [h, , s] = jws.split('.');
  return {
    ...statement,
    signature: {
      typ: 'pdx-statement+jws',
      alg: 'EdDSA',
      kid: key.privateJwk.kid,
      canonicalization: 'RFC 8785',
      digest: `sha-256:${createHash('sha256').update(payload).digest('hex')}`,
      jwks: '/.well-known/jwks.json',
      jws: `${h}..${s}`,
    },
  };
}

describe('pdx verify-statement', () => {
  let exchange: Key;
  let stranger: Key;
  let namesake: Key;
  let signed: Record<string, unknown> & { signature: Record<string, string> };
  let dir: string;
  let jwksFile: string;

  const io = (fetched?: unknown) => {
    const out: string[] = [];
    const err: string[] = [];
    const value: Io & { out(t: string): void; text(): string; errors(): string } = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      now: () => Date.parse('2027-06-02T00:00:00Z'),
      env: {},
      text: () => out.join(''),
      errors: () => err.join(''),
      ...(fetched === undefined
        ? {}
        : {
            fetch: (async (url: string) => {
              expect(url).toBe('https://exchange.example/.well-known/jwks.json');
              return new Response(JSON.stringify(fetched), { status: 200 });
            }) as typeof fetch,
          }),
    };
    return value;
  };
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return path;
  };
  const verify = async (statement: unknown, args: string[] = ['--jwks', jwksFile], via = io()) => ({
    code: await run(['verify-statement', file('statement.json', statement), ...args], via),
    out: via.text(),
    err: via.errors(),
  });

  beforeAll(async () => {
    exchange = await generateSigningKey('EdDSA', 'exchange-2027');
    stranger = await generateSigningKey('EdDSA', 'stranger-1');
    namesake = await generateSigningKey('EdDSA', 'exchange-2027');
    signed = (await sign(exchange, unsigned)) as typeof signed;
    dir = mkdtempSync(join(tmpdir(), 'pdx-verify-statement-'));
    const other = await generateSigningKey('ES256', 'ledger-1');
    jwksFile = file('jwks.json', { keys: [other.publicJwk, exchange.publicJwk] });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints each check and succeeds for a statement as the exchange signed it', async () => {
    const r = await verify(signed);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split('\n').map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'VALID key',
      'VALID digest',
      'VALID signature',
      'VALID Statement',
      '',
    ]);
    expect(r.out).toContain(signed.signature.digest);
    // The signature is over the canonical JSON: another layout of the same file verifies.
    expect((await verify(JSON.stringify(signed))).code).toBe(0);
  });

  it('fails with the reason when one field was altered', async () => {
    const tampered = structuredClone(signed) as typeof unsigned & { signature: object };
    tampered.partners[0]!.exemption.certificates[0]!.number = 'DE AEOS 99999/08';
    const r = await verify(tampered);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^VALID {4}key/m);
    expect(r.out).toMatch(/^INVALID +digest +the statement was altered after it was signed/m);
    expect(r.out).toMatch(/^INVALID +signature +does not verify with exchange-2027/m);
    expect(r.err).toContain('INVALID: digest: the statement was altered after it was signed');
  });

  it('fails on the signature when the digest was forged to match the altered content', async () => {
    const tampered = structuredClone(signed) as Record<string, unknown> & { signature: { digest: string } };
    tampered.policyVersion = 1;
    const { signature: _s, ...content } = tampered;
    tampered.signature.digest = `sha-256:${createHash('sha256').update(canonicalJson(content)).digest('hex')}`;
    const r = await verify(tampered);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^VALID +digest/m);
    expect(r.err).toContain('INVALID: signature: does not verify with exchange-2027');
  });

  it('fails when another key signed it: unknown to the exchange, or posing under its kid', async () => {
    const foreign = await verify(await sign(stranger, unsigned));
    expect(foreign.code).toBe(1);
    expect(foreign.out).toMatch(
      /^INVALID +key +signed by another key: stranger-1 is not among the exchange's keys \(ledger-1, exchange-2027\)/m,
    );
    expect(foreign.out).toMatch(/^SKIPPED +signature/m);
    const posing = await verify(await sign(namesake, unsigned));
    expect(posing.code).toBe(1);
    expect(posing.out).toMatch(/^VALID +key/m);
    expect(posing.err).toContain('INVALID: signature: does not verify with exchange-2027');
  });

  it('refuses a signature of another type, and a signature member that disagrees with its JWS', async () => {
    const typed = await verify(await sign(exchange, unsigned, { typ: 'pdx-status+jws' }));
    expect(typed.err).toContain('INVALID: key: the JWS typ is pdx-status+jws, not pdx-statement+jws');
    const relabelled = structuredClone(signed);
    relabelled.signature.kid = 'ledger-1';
    expect((await verify(relabelled)).err).toContain('INVALID: key: the JWS names exchange-2027 (EdDSA)');
  });

  it('verifies the printable page, which embeds the signed JSON', async () => {
    const page = `<!doctype html><p>…</p><script type="application/json" id="pdx-statement">${JSON.stringify(signed).replace(/</g, '\\u003c')}</script>`;
    const via = io();
    expect(await run(['verify-statement', file('statement.html', page), '--jwks', jwksFile], via)).toBe(0);
    expect(parseStatement(page)).toEqual(signed);
  });

  it('fetches the exchange’s keys with --url', async () => {
    const via = io({ keys: [exchange.publicJwk] });
    const r = await verify(signed, ['--url', 'https://exchange.example/'], via);
    expect(r.code).toBe(0);
    expect(r.out).toContain('keys from https://exchange.example/.well-known/jwks.json');
  });

  it('is a pdx command with its help', async () => {
    const via = io();
    expect(await run(['verify-statement', '--help'], via)).toBe(0);
    expect(via.text()).toContain('Usage: pdx verify-statement <statement.json | statement.html>');
    const top = io();
    await run(['--help'], top);
    expect(top.text()).toContain('verify-statement');
  });

  it('says what is wrong with a file that is no signed statement, or a call without keys', async () => {
    const { signature: _s, ...bare } = signed;
    expect((await verify(bare)).err).toContain('carries no signature member');
    expect((await verify('not json')).err).toContain('not JSON, nor a statement page');
    expect((await verify(signed, [])).code).toBe(2);
    const privateKeys = file('private.json', { keys: [exchange.privateJwk] });
    expect((await verify(signed, ['--jwks', privateKeys])).err).toContain('holds a private key');
    await expect(
      verifyStatement({ ...signed, signature: { ...signed.signature, jws: 'a.b.c' } }, []),
    ).rejects.toThrow(/not a detached compact JWS/);
  });
});

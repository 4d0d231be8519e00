import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authenticateTokenRequest } from '@pdx/http';
import { ManualClock } from '@pdx/runtime';
import { afterAll, describe, expect, it } from 'vitest';
import { type Io, run } from './cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pdx-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const clock = new ManualClock('2026-05-01T12:00:00Z');

async function pdx(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += t), err: (t) => (err += t), now: () => clock.now(), env: {} };
  const code = await run(argv, io);
  return { code, out, err };
}

describe('pdx CLI: keys and tokens', () => {
  const keyFile = join(dir, 'acme.key.json');

  it('keygen keeps the private key in a 0600 file and prints only the public JWKS', async () => {
    const r = await pdx('keygen', '--out', keyFile, '--kid', 'acme-2026');
    expect(r.code).toBe(0);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const priv = JSON.parse(readFileSync(keyFile, 'utf8'));
    expect(priv).toMatchObject({ kty: 'OKP', crv: 'Ed25519', kid: 'acme-2026' });
    expect(typeof priv.d).toBe('string');
    const jwks = JSON.parse(r.out);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0].d).toBeUndefined();
    expect(jwks.keys[0].x).toBe(priv.x);
    expect((await pdx('keygen', '--out', keyFile)).code).toBe(1);
    expect((await pdx('keygen', '--out', join(dir, 'ec.json'), '--alg', 'ES256')).code).toBe(0);
  });

  it('keygen --purpose marks a sign-in key in the public JWK; a declaration it signs does not verify', async () => {
    const staffFile = join(dir, 'staff.key.json');
    const r = await pdx('keygen', '--out', staffFile, '--kid', 'acme-staff', '--purpose', 'authentication');
    expect(r.code, r.err).toBe(0);
    const jwks = JSON.parse(r.out);
    expect(jwks.keys[0]).toMatchObject({ kid: 'acme-staff', purposes: ['authentication'] });
    expect(JSON.parse(readFileSync(staffFile, 'utf8'))).not.toHaveProperty('purposes');
    const both = await pdx(
      'keygen',
      '--out',
      join(dir, 'both.json'),
      '--purpose',
      'signing',
      '--purpose',
      'authentication',
    );
    expect(JSON.parse(both.out).keys[0].purposes).toEqual(['signing', 'authentication']);
    expect(JSON.parse((await pdx('keygen', '--out', join(dir, 'none.json'))).out).keys[0]).not.toHaveProperty(
      'purposes',
    );
    for (const bad of [
      ['--purpose', 'sealing'],
      ['--purpose', 'signing', '--purpose', 'signing'],
    ]) {
      const refused = await pdx('keygen', '--out', join(dir, 'bad.json'), ...bad);
      expect(refused.code, bad.join(' ')).toBe(2);
      expect(refused.err).toContain('--purpose');
    }

    // Verified offline against the JWKS keygen printed: the purposes member is honoured.
    const jwsFile = join(dir, 'staff-dos.jws');
    const example = new URL('../examples/declaration.yaml', import.meta.url).pathname;
    expect((await pdx('sign', '--key', staffFile, '--in', example, '--out', jwsFile)).code).toBe(0);
    const jwksFile = join(dir, 'staff.jwks.json');
    writeFileSync(jwksFile, r.out);
    const refused = await pdx('verify', '--jwks', jwksFile, jwsFile);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('PDX_KEY_NOT_FOR_SIGNING');
  });

  it('jwks prints the public part of a key file', async () => {
    const r = await pdx('jwks', '--key', keyFile);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).keys[0]).not.toHaveProperty('d');
  });

  it('token --assertion prints a client assertion the token endpoint accepts, once', async () => {
    const r = await pdx(
      'token',
      '--assertion',
      '--key',
      keyFile,
      '--iss',
      'acme',
      '--aud',
      'http://pdx.test',
    );
    expect(r.code, r.err).toBe(0);
    const { keys } = JSON.parse((await pdx('jwks', '--key', keyFile)).out);
    const seen = new Set<string>();
    const options = {
      issuer: 'http://pdx.test',
      clients: {
        operators: [],
        party: async (id: string) =>
          id === 'acme'
            ? { keys: [{ jwk: keys[0], addedAt: '2026-01-01T00:00:00Z' }], roles: ['partner'] }
            : undefined,
      },
      replay: {
        claim: async (iss: string, jti: string) => !seen.has(`${iss} ${jti}`) && !!seen.add(`${iss} ${jti}`),
      },
      clock,
      clockSkewSeconds: 30,
    };
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: r.out.trim(),
    });
    const { principal } = await authenticateTokenRequest(form, options);
    expect(principal).toEqual({ kind: 'party', id: 'acme', roles: ['partner'] });
    await expect(authenticateTokenRequest(form, options)).rejects.toMatchObject({
      code: 'PDX_ASSERTION_REPLAYED',
    });
  });

  it('explains mistakes with a message and a non-zero exit code', async () => {
    expect((await pdx('token', '--key', keyFile)).code).toBe(2);
    expect((await pdx('token', '--key', join(dir, 'missing.json'), '--iss', 'a')).err).toContain(
      'no key file',
    );
    expect((await pdx('keygen', '--out', join(dir, 'x.json'), '--alg', 'RS256')).code).toBe(2);
    expect((await pdx('jwks', '--key', keyFile, '--bogus')).code).toBe(2);
    expect((await pdx('frobnicate')).code).toBe(2);
  });

  it('signs a YAML declaration and verifies it offline; a tampered copy fails', async () => {
    const example = new URL('../examples/declaration.yaml', import.meta.url).pathname;
    const jwsFile = join(dir, 'dos.jws');
    const signed = await pdx('sign', '--key', keyFile, '--in', example, '--out', jwsFile);
    expect(signed.code, signed.err).toBe(0);
    const jwksFile = join(dir, 'acme.jwks.json');
    writeFileSync(jwksFile, (await pdx('jwks', '--key', keyFile)).out);
    clock.set('2026-06-01T00:00:00Z');
    const ok = await pdx('verify', '--jwks', jwksFile, jwsFile);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toBe('VALID\n');
    expect(ok.err).toContain('VALID    signature');

    const [h, p, sig] = readFileSync(jwsFile, 'utf8').trim().split('.');
    const payload = JSON.parse(Buffer.from(p!, 'base64url').toString());
    payload.recipients = ['someone-else'];
    writeFileSync(jwsFile, `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`);
    const bad = await pdx('verify', '--jwks', jwksFile, jwsFile);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('PDX_SIGNATURE_INVALID');
    expect(bad.err).toContain('SKIPPED  schema');
  });

  it('refuses to sign a declaration that does not match the schema, naming the field', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ declarationId: 'x', issuer: 'acme' }));
    const r = await pdx('sign', '--key', keyFile, '--in', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain('/recipients is required');
  });

  it('signs a certificate attestation with its own typ, and refuses one that does not match the schema', async () => {
    const example = new URL('../examples/attestation.yaml', import.meta.url).pathname;
    const signed = await pdx('attest', '--key', keyFile, '--in', example, '--now');
    expect(signed.code, signed.err).toBe(0);
    const [header, payload] = signed.out.trim().split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toMatchObject({
      typ: 'pdx-certificate+jws',
    });
    expect(JSON.parse(Buffer.from(payload!, 'base64url').toString())).toMatchObject({
      schemeId: 'eu-aeo-aeof',
      issuedAt: new Date(clock.now()).toISOString(),
    });
    const bad = join(dir, 'bad-attestation.json');
    writeFileSync(bad, JSON.stringify({ schemeId: 'eu-aeo-aeof', number: 'DE AEOF 1/20' }));
    const refused = await pdx('attest', '--key', keyFile, '--in', bad);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('not a valid attestation');
    expect(refused.err).toMatch(/\/holder/);
  });

  it('submit reports an unreachable exchange clearly', async () => {
    const file = join(dir, 'any.jws');
    writeFileSync(file, 'a.b.c');
    const r = await pdx('submit', '--key', keyFile, '--iss', 'acme', '--url', 'http://127.0.0.1:9', file);
    expect(r.code).toBe(1);
    expect(r.err).toContain('cannot reach http://127.0.0.1:9');
  });

  it('has --help for every command', async () => {
    const top = await pdx('--help');
    expect(top.code).toBe(0);
    for (const command of ['keygen', 'jwks', 'token', 'sign', 'submit', 'declarations', 'verify']) {
      expect(top.out).toContain(command);
      const r = await pdx(command, '--help');
      expect(r.code, command).toBe(0);
      expect(r.out, command).toContain(`Usage: pdx ${command}`);
    }
  });
});

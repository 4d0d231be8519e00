import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Io, run } from '@pdx/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningService, spawnService } from './spawn-service.js';

/**
 * The pdx command against a real exchange (the built standalone on the embedded log and
 * store): a partner, a buyer and an issuer set up with `pdx call`, then the buyer's commands.
 */
describe('pdx against a running exchange', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-cli-e2e-'));
  const data = join(dir, 'data');
  const file = (name: string) => join(dir, name);
  let exchange: RunningService;

  async function pdx(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: Io = {
      out: (t) => (out += t),
      err: (t) => (err += t),
      now: () => Date.now(),
      env: { PDX_URL: exchange.url },
    };
    const code = await run(argv, io);
    return { code, out, err };
  }
  /** A command that must succeed; its output otherwise. */
  async function ok(...argv: string[]): Promise<{ out: string; err: string }> {
    const r = await pdx(...argv);
    expect(r.code, `pdx ${argv.join(' ')}\n${r.err}\n${r.out}`).toBe(0);
    return r;
  }
  const operator = () => ['--key', join(data, 'operator.key.json'), '--iss', 'operator'];
  const as = (who: string, id: string) => ['--key', file(`${who}.key.json`), '--iss', id];
  const register = async (who: string, registration: Record<string, unknown>) => {
    const jwks = JSON.parse((await ok('keygen', '--out', file(`${who}.key.json`), '--kid', `${who}-1`)).out);
    writeFileSync(file(`${who}.json`), JSON.stringify({ ...registration, jwks }));
    return pdx('call', 'POST', '/v1/parties', '--data', `@${file(`${who}.json`)}`, ...operator());
  };

  beforeAll(async () => {
    exchange = await spawnService('services/standalone/dist/main.js', { PDX_DATA_DIR: data });
  }, 90_000);
  afterAll(async () => {
    if (exchange && exchange.child.exitCode === null) {
      exchange.child.kill('SIGTERM');
      await exchange.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers, links and declares with pdx call, each answer with its status', async () => {
    const created = await register('acme', {
      partyId: 'acme-logistics',
      legalName: 'ACME Logistics GmbH',
      country: 'DE',
      roles: ['partner'],
    });
    expect(created).toMatchObject({ code: 0, err: 'HTTP 201 Created\n' });
    expect(JSON.parse(created.out)).toMatchObject({ partyId: 'acme-logistics' });
    // A conflict names the field that differs, and exits 1.
    const renamed = JSON.parse(readFileSync(file('acme.json'), 'utf8'));
    const conflict = await pdx(
      'call',
      'POST',
      '/v1/parties',
      '--data',
      JSON.stringify({ ...renamed, legalName: 'ACME Holding AG' }),
      ...operator(),
    );
    expect(conflict.code).toBe(1);
    expect(conflict.err).toContain('HTTP 409 Conflict');
    expect(JSON.parse(conflict.out)).toMatchObject({
      code: 'PDX_PARTY_CONFLICT',
      errors: [{ pointer: '/legalName' }],
    });
    // A read right after the write: --wait until the directory service has it.
    const read = await ok(
      'call',
      'GET',
      '/v1/parties/acme-logistics',
      '--wait',
      ...as('acme', 'acme-logistics'),
    );
    expect(read.err).toBe('HTTP 200 OK\n');

    expect(
      (
        await register('globex', {
          partyId: 'globex-retail',
          legalName: 'Globex',
          country: 'NL',
          roles: ['buyer'],
        })
      ).code,
    ).toBe(0);
    expect(
      (
        await register('hza', {
          partyId: 'hza-hamburg',
          legalName: 'Hauptzollamt Hamburg',
          country: 'DE',
          roles: ['issuer'],
          issuerOf: ['eu-aeo-aeof'],
        })
      ).code,
    ).toBe(0);
    await ok(
      'call',
      'POST',
      '/v1/relationships',
      '--data',
      JSON.stringify({
        partnerId: 'acme-logistics',
        scopeOfService: { functions: ['warehouse', 'road-carrier'], locations: ['DEHAM'] },
      }),
      ...as('globex', 'globex-retail'),
    );
    await ok(
      'call',
      'POST',
      '/v1/relationships/globex-retail~acme-logistics/acceptance',
      ...as('acme', 'acme-logistics'),
    );
    const example = new URL('../../packages/cli/examples/declaration.yaml', import.meta.url).pathname;
    await ok('sign', '--key', file('acme.key.json'), '--in', example, '--now', '--out', file('dos.jws'));
    expect((await ok('submit', ...as('acme', 'acme-logistics'), file('dos.jws'))).err).toContain(
      'VALID    validity-window',
    );
    // Submitted as another party: the issuer mismatch, not a key or signature failure.
    const foreign = await pdx('submit', ...as('globex', 'globex-retail'), file('dos.jws'));
    expect(foreign.code).toBe(1);
    expect(foreign.err).toContain('403 PDX_ISSUER_MISMATCH at /issuer');
    expect(foreign.err).toContain('INVALID  issuer');
  });

  it("shows the buyer its partner's status: the example declaration is complete for its functions", async () => {
    const listed = await ok(
      'partners',
      '--status',
      'pending-review',
      '--wait',
      ...as('globex', 'globex-retail'),
    );
    expect(listed.out).toMatch(/^PARTNER +STATUS +CLAUSES/);
    expect(listed.out).toMatch(/acme-logistics +pending-review +4\.2 4\.5/);
    const json = JSON.parse(
      (await ok('partner', 'acme-logistics', '--json', ...as('globex', 'globex-retail'))).out,
    );
    expect(json.decision.obligations.map((o: { code: string }) => o.code)).not.toContain('areas-missing');
    expect(json.decision.reviewTask).toMatchObject({
      reason: 'first-review',
      declarationId: 'acme-dos-2026-01',
    });
    const summary = await ok('partner', 'acme-logistics', ...as('globex', 'globex-retail'));
    expect(summary.out).toContain('status:');
    expect(summary.out).toContain('pending-review (ISO 28001 4.2, 4.5)');

    const tasks = await ok('review-tasks', '--wait', ...as('globex', 'globex-retail'));
    expect(tasks.out).toMatch(/acme-logistics +\S+ +first-review +acme-dos-2026-01/);
    // A plain date: the beginning of that day. The first review is due within 30 days.
    const far = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    expect((await ok('review-tasks', '--due-before', far, ...as('globex', 'globex-retail'))).out).toContain(
      'acme-logistics',
    );
    const today = new Date().toISOString().slice(0, 10);
    expect((await ok('review-tasks', '--due-before', today, ...as('globex', 'globex-retail'))).err).toBe(
      'no open review tasks\n',
    );
    const bad = await pdx('partners', '--due-before', '2027-02-30', ...as('globex', 'globex-retail'));
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('400 PDX_REQUEST_INVALID at /dueBefore');
  });

  it('saves the Statement of Application as signed, JSON and HTML', async () => {
    await ok('statement', '--out', file('soa.json'), ...as('globex', 'globex-retail'));
    const body = readFileSync(file('soa.json'), 'utf8');
    expect(JSON.parse(body).partners).toHaveLength(1);
    const verified = await ok('verify-statement', file('soa.json'), '--url', exchange.url);
    expect(verified.out).toContain('VALID    signature');
    writeFileSync(file('soa-altered.json'), body.replace('"globex-retail"', '"globex-retai1"'));
    const altered = await pdx('verify-statement', file('soa-altered.json'), '--url', exchange.url);
    expect(altered.code).toBe(1);
    const html = await ok('statement', '--out', file('soa.html'), ...as('globex', 'globex-retail'));
    expect(html.err).toContain('written to');
    expect(readFileSync(file('soa.html'), 'utf8')).toMatch(/^<!doctype html>/i);
  });

  it('lists certificates expiring within some days, and checks the ledger with its key', async () => {
    await ok(
      'call',
      'POST',
      '/v1/certificates/claims',
      '--data',
      JSON.stringify({
        schemeId: 'tapa-fsr',
        number: 'FSR-2025-0042',
        issuerName: 'Audit Co.',
        scope: { functions: ['warehouse'], sites: ['DEHAM'] },
        validFrom: new Date(Date.now() - 86_400_000).toISOString(),
        validUntil: new Date(Date.now() + 100 * 86_400_000).toISOString(),
        evidence: 'doc://acme/tapa-fsr.pdf',
      }),
      ...as('acme', 'acme-logistics'),
    );
    const attestation = new URL('../../packages/cli/examples/attestation.yaml', import.meta.url).pathname;
    await ok('attest', '--key', file('hza.key.json'), '--in', attestation, '--now', '--out', file('aeo.jws'));
    await ok('submit-attestation', ...as('hza', 'hza-hamburg'), file('aeo.jws'));

    const soon = await ok('certificates', '--expiring', '120', ...as('globex', 'globex-retail'));
    expect(soon.out).toMatch(/^DAYS +VALID UNTIL/);
    expect(soon.out).toContain('tapa-fsr');
    // The AEO authorisation is open-ended: it never expires.
    expect(soon.out).not.toContain('eu-aeo-aeof');
    expect((await ok('certificates', '--expiring', '30', ...as('globex', 'globex-retail'))).err).toBe(
      'no certificate expires within 30 days\n',
    );

    const exempt = await ok('partners', '--status', 'exempt', '--wait', ...as('globex', 'globex-retail'));
    expect(exempt.out).toMatch(/acme-logistics +exempt +4\.4\(c\)/);
    expect((await ok('ledger', 'key', '--out', file('ledger.jwk.json'))).err).toContain('note verifier key');
    expect((await pdx('ledger', 'key', '--out', file('ledger.jwk.json'))).err).toContain('exists');
    const included = await ok(
      'ledger',
      'verify-inclusion',
      '--seq',
      '0',
      '--key',
      file('ledger.jwk.json'),
      '--wait',
    );
    expect(included.out).toMatch(
      /^ok: entry 0 \(exemption-granted globex-retail → acme-logistics 4\.4\(c\)\)/,
    );
    const beyond = await pdx('ledger', 'verify-inclusion', '--seq', '99', '--key', file('ledger.jwk.json'));
    expect(beyond.code).toBe(1);
    expect(beyond.err).toContain('not 99');
    const state = file('monitor.json');
    expect(
      (await ok('ledger', 'monitor', '--key', file('ledger.jwk.json'), '--state', state, '--once')).out,
    ).toContain('trusting the first head');
    // A public route needs no identity.
    expect((await ok('call', 'GET', '/v1/ledger')).err).toBe('HTTP 200 OK\n');
  });
});

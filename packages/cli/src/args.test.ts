import { describe, expect, it } from 'vitest';
import { closest, parseCommandArgs } from './args.js';
import { type Io, run } from './cli.js';
import { CliError, type Command } from './command.js';

/** The CLI with a fake exchange: `answers` are served in order, requests are recorded. */
function harness(answers: { status: number; body: unknown; headers?: Record<string, string> }[] = []) {
  let out = '';
  let err = '';
  let now = Date.parse('2026-05-01T12:00:00Z');
  const requests: { url: string; method: string; headers: Record<string, string>; body?: string }[] = [];
  const io: Io = {
    out: (t) => (out += t),
    err: (t) => (err += t),
    now: () => now,
    env: { PDX_URL: 'http://exchange.test' },
    sleep: async (ms) => {
      now += ms;
    },
    fetch: (async (url: string, init: RequestInit = {}) => {
      requests.push({
        url: String(url),
        method: init.method ?? 'GET',
        headers: (init.headers ?? {}) as Record<string, string>,
        ...(typeof init.body === 'string' ? { body: init.body } : {}),
      });
      const next = answers.shift() ?? { status: 500, body: { code: 'PDX_INTERNAL' } };
      return new Response(JSON.stringify(next.body), {
        status: next.status,
        headers: { 'content-type': 'application/json', ...next.headers },
      });
    }) as typeof fetch,
  };
  return {
    io,
    requests,
    pdx: async (...argv: string[]) => {
      out = '';
      err = '';
      const code = await run(argv, io);
      return { code, out, err };
    },
  };
}

const probe: Command = {
  summary: 'probe',
  usage: 'pdx probe <file>',
  positionals: { min: 1, max: 1 },
  options: {
    seq: { type: 'string', help: 'a position' },
    save: { type: 'string', help: 'a folder' },
    header: { type: 'string', short: 'H', multiple: true, help: 'a header' },
    once: { type: 'boolean', help: 'once' },
  },
  run: async () => {},
};

function usage(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(2);
    return (error as Error).message;
  }
  throw new Error('expected a usage error');
}

describe('argument parsing', () => {
  it('suggests what a mistyped word most likely meant', () => {
    expect(closest('partnrs', ['partner', 'partners', 'review-tasks'])).toBe('partners');
    expect(closest('statsu', ['status', 'function', 'country'])).toBe('status');
    expect(closest('verify-inclusoin', ['key', 'verify-inclusion', 'monitor'])).toBe('verify-inclusion');
    expect(closest('sav', ['seq', 'save'])).toBe('save');
    expect(closest('frobnicate', ['keygen', 'token'])).toBeUndefined();
  });

  it('takes values, repeated options, --name=value and everything after --', () => {
    const { values, positionals } = parseCommandArgs('probe', probe, [
      '--seq=3',
      '-H',
      'a: 1',
      '--header',
      'b: 2',
      '--once',
      'file.json',
    ]);
    expect(values).toMatchObject({ seq: '3', header: ['a: 1', 'b: 2'], once: true });
    expect(positionals).toEqual(['file.json']);
    expect(parseCommandArgs('probe', probe, ['--', '--not-an-option']).positionals).toEqual([
      '--not-an-option',
    ]);
    // A string option's value may start with a dash.
    expect(parseCommandArgs('probe', probe, ['--save', '-', 'f']).values.save).toBe('-');
  });

  it('refuses an unknown option with the option it most likely meant', () => {
    expect(usage(() => parseCommandArgs('probe', probe, ['--seqq', '3', 'f']))).toBe(
      'unknown option --seqq: did you mean --seq? (pdx probe --help lists the options)',
    );
    expect(usage(() => parseCommandArgs('probe', probe, ['--frobnicate', 'f']))).toBe(
      'unknown option --frobnicate (pdx probe --help lists the options)',
    );
    expect(usage(() => parseCommandArgs('probe', probe, ['-x', 'f']))).toContain('unknown option -x');
  });

  it('refuses a missing value and a wrong number of arguments', () => {
    expect(usage(() => parseCommandArgs('probe', probe, ['f', '--seq']))).toContain(
      "'--seq <value>' argument missing",
    );
    expect(usage(() => parseCommandArgs('probe', probe, ['a', 'b']))).toBe(
      'unexpected argument "b" (usage: pdx probe <file>)',
    );
    expect(usage(() => parseCommandArgs('probe', probe, []))).toBe(
      'missing arguments (usage: pdx probe <file>)',
    );
    // --help needs no arguments.
    expect(parseCommandArgs('probe', probe, ['--help']).values.help).toBe(true);
  });
});

describe('pdx: help, version and usage errors', () => {
  const { pdx } = harness();

  it('prints its version', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await pdx(flag);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^pdx \d+\.\d+\.\d+\n$/);
    }
  });

  it('has --help for every command, the ledger group included', async () => {
    const top = await pdx('--help');
    expect(top.code).toBe(0);
    const names = [...top.out.matchAll(/^ {2}(\S+(?: (?!\s)\S+)?)\s{2,}/gm)].map((m) => m[1]!);
    expect(names).toEqual(
      expect.arrayContaining([
        'call',
        'partners',
        'partner',
        'review-tasks',
        'statement',
        'certificates',
        'ledger key',
        'ledger verify-inclusion',
        'ledger monitor',
      ]),
    );
    for (const name of names) {
      const r = await pdx(...name.split(' '), '--help');
      expect(r.code, name).toBe(0);
      expect(r.out, name).toContain(`Usage: pdx ${name}`);
      expect((await pdx('help', ...name.split(' '))).out, name).toContain(`Usage: pdx ${name}`);
    }
    const ledger = await pdx('ledger', '--help');
    expect(ledger.code).toBe(0);
    expect(ledger.out).toContain('ledger verify-inclusion');
    expect(ledger.out).toContain('ledger monitor');
    expect(ledger.out).toContain('ledger key');
    expect((await pdx('ledger')).code).toBe(2);
    expect((await pdx('ledger', 'monitor', '--help')).out).toContain('until stopped');
  });

  it('answers an unknown command or option with a hint and exit code 2', async () => {
    expect(await pdx('partnrs')).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown command "partnrs": did you mean "partners"?'),
    });
    expect(await pdx('ledger', 'verify-inclusoin')).toMatchObject({
      code: 2,
      err: expect.stringContaining('did you mean "ledger verify-inclusion"?'),
    });
    expect(await pdx('partners', '--statsu', 'exempt')).toMatchObject({
      code: 2,
      err: expect.stringContaining('unknown option --statsu: did you mean --status?'),
    });
    expect(await pdx('token', 'extra')).toMatchObject({
      code: 2,
      err: expect.stringContaining('unexpected argument'),
    });
  });
});

describe('pdx call (against a fake exchange)', () => {
  it('prints the status line on stderr and the body on stdout; a 4xx exits 1', async () => {
    const { pdx, requests } = harness([
      { status: 200, body: { origin: 'pdx.local/exemption-ledger' } },
      { status: 404, body: { code: 'PDX_LEDGER_EMPTY', status: 404 } },
    ]);
    const ok = await pdx('call', 'get', '/v1/ledger');
    expect(ok).toEqual({ code: 0, err: 'HTTP 200 OK\n', out: '{"origin":"pdx.local/exemption-ledger"}\n' });
    // No identity named: no token (public routes).
    expect(requests[0]).toMatchObject({ url: 'http://exchange.test/v1/ledger', method: 'GET' });
    expect(requests[0]!.headers.authorization).toBeUndefined();
    const missing = await pdx('call', 'GET', '/v1/ledger/heads/latest');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('HTTP 404 Not Found');
    expect(missing.out).toContain('PDX_LEDGER_EMPTY');
  });

  it('--wait retries a GET while it answers 404, then prints the answer', async () => {
    const { pdx, requests } = harness([
      { status: 404, body: { code: 'PDX_PARTY_NOT_FOUND' } },
      { status: 404, body: { code: 'PDX_PARTY_NOT_FOUND' } },
      { status: 200, body: { partyId: 'acme' } },
    ]);
    const r = await pdx('call', 'GET', '/v1/ledger', '--wait');
    expect(r).toMatchObject({ code: 0, err: 'HTTP 200 OK\n' });
    expect(requests).toHaveLength(3);
  });

  it('--wait gives up after --timeout with the last answer', async () => {
    const { pdx, requests } = harness(Array.from({ length: 50 }, () => ({ status: 404, body: {} })));
    const r = await pdx('call', 'GET', '/v1/ledger', '--wait', '--timeout', '2');
    expect(r.code).toBe(1);
    expect(r.err).toContain('HTTP 404');
    expect(requests.length).toBeGreaterThan(2);
    expect(requests.length).toBeLessThan(10);
  });

  it('sends --data as JSON with extra headers, and checks what it can before sending', async () => {
    const { pdx, requests } = harness([{ status: 201, body: {} }]);
    const r = await pdx('call', 'POST', '/v1/x', '--data', '{"a":1}', '-H', 'if-match: "0"');
    expect(r.code).toBe(0);
    expect(r.err).toBe('HTTP 201 Created\n');
    expect(requests[0]).toMatchObject({
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json', 'if-match': '"0"' },
    });
    expect(await pdx('call', 'POST', '/v1/x', '--data', '{"a":')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--data is not JSON'),
    });
    expect((await pdx('call', 'FETCH', '/v1/x')).code).toBe(2);
    expect((await pdx('call', 'GET', 'v1/x')).err).toContain('the path starts with /');
    expect((await pdx('call', 'POST', '/v1/x', '--wait')).err).toContain('--wait is for GET');
    expect((await pdx('call', 'GET', '/v1/x', '-H', 'nocolon')).code).toBe(2);
    expect((await pdx('call', 'GET', '/v1/x', '--iss', 'acme')).err).toContain('--key <file> is required');
    expect(requests).toHaveLength(1);
  });
});

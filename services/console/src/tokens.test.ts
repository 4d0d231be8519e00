import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey, type PrivateJwk } from '@pdx/crypto';
import { createHost, type Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { silentLogger } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importSigningKey, parseKeyFile } from './keys.js';
import { type SignInError, TokenClient } from './tokens.js';

// The console's token client against a real exchange (intake serves the token endpoint),
// reached through fastify's inject instead of the network.
const dir = mkdtempSync(join(tmpdir(), 'pdx-console-tokens-'));
let host: Host;
const keys = new Map<string, PrivateJwk>();

const injectFetch: typeof fetch = async (input, init) => {
  const res = await host.http.inject({
    method: (init?.method ?? 'GET') as 'GET' | 'POST',
    url: String(input),
    headers: (init?.headers ?? {}) as Record<string, string>,
    ...(init?.body === undefined ? {} : { payload: String(init.body) }),
  });
  return new Response(res.body, {
    status: res.statusCode,
    headers: { 'content-type': String(res.headers['content-type']) },
  });
};

async function client(clientId: string, kid: string) {
  const file = parseKeyFile(JSON.stringify(keys.get(kid)));
  const scheduled: { delay: number; run: () => void }[] = [];
  const tokens = new TokenClient({
    clientId,
    kid: file.kid,
    alg: file.alg,
    key: await importSigningKey(file),
    fetch: injectFetch,
    schedule: (delay, run) => {
      scheduled.push({ delay, run });
      return () => {};
    },
  });
  return { tokens, scheduled };
}

const refusal = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    const e = error as SignInError;
    return { field: e.field, code: e.code, key: e.key };
  }
};

beforeAll(async () => {
  for (const kid of ['ops-1', 'acme-1', 'acme-staff', 'acme-signer'])
    keys.set(kid, (await generateSigningKey(kid === 'acme-staff' ? 'ES256' : 'EdDSA', kid)).privateJwk);
  const pub = (kid: string, purposes?: string[]) => {
    const { d: _d, ...rest } = keys.get(kid)!;
    return purposes ? { ...rest, purposes } : rest;
  };
  host = await createHost({
    name: 'pdx-test',
    services: [intakeService],
    env: {
      PDX_DATA_DIR: dir,
      PDX_PUBLIC_URL: 'http://pdx.test',
      PDX_OPERATORS: JSON.stringify([{ id: 'ops', jwks: { keys: [pub('ops-1')] } }]),
    },
    logger: silentLogger(),
  });
  await host.http.ready();
  const ops = await client('ops', 'ops-1');
  const res = await host.http.inject({
    method: 'POST',
    url: '/v1/parties',
    headers: { authorization: `Bearer ${await ops.tokens.token()}`, 'content-type': 'application/json' },
    payload: JSON.stringify({
      partyId: 'acme',
      legalName: 'ACME',
      country: 'DE',
      roles: ['buyer', 'partner'],
      jwks: { keys: [pub('acme-1'), pub('acme-staff', ['authentication']), pub('acme-signer', ['signing'])] },
    }),
  });
  expect(res.statusCode, res.body).toBe(201);
});
afterAll(async () => {
  await host?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the console token client', () => {
  it('gets a token with a sign-in key, says who it names, and renews it before it expires', async () => {
    const { tokens, scheduled } = await client('acme', 'acme-staff');
    const first = await tokens.token();
    expect(tokens.principal()).toEqual({ kind: 'party', roles: ['buyer', 'partner'] });
    expect(await tokens.token()).toBe(first);
    // Default lifetime 600 s: renewed a minute before.
    expect(scheduled.map((s) => s.delay)).toEqual([540_000]);
    scheduled[0]!.run();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect.poll(() => scheduled.length).toBe(2);
    expect(await tokens.token()).not.toBe(first);
  });

  it('knows an operator by its token', async () => {
    const { tokens } = await client('ops', 'ops-1');
    await tokens.token();
    expect(tokens.principal()).toEqual({ kind: 'operator', roles: [] });
  });

  it('names the field a refusal is about, with the exchange’s code', async () => {
    expect(await refusal((await client('nobody', 'acme-staff')).tokens.token())).toEqual({
      field: 'partyId',
      code: 'PDX_CLIENT_UNKNOWN',
      key: 'error.signIn.party',
    });
    expect(await refusal((await client('acme', 'acme-signer')).tokens.token())).toEqual({
      field: 'keyFile',
      code: 'PDX_CLIENT_KEY_NOT_FOR_AUTH',
      key: 'error.signIn.key',
    });
    expect(await refusal((await client('acme', 'ops-1')).tokens.token())).toEqual({
      field: 'keyFile',
      code: 'PDX_CLIENT_KEY_UNKNOWN',
      key: 'error.signIn.key',
    });
  });
});

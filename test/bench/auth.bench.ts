/**
 * `npm run bench` (part 8): an authenticated read, GET /v1/parties/{id} with one access token
 * reused for every call (verified against the exchange key, then remembered by hash), next
 * to the same route with authentication switched off, measured in the same run as a ratio
 * (target ≥ 0.7). "Off" is a construction of this benchmark only: the same route on a server
 * whose auth plugin accepts any call as the same principal without looking at a token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SchemaRegistry } from '@pdx/contracts';
import { generateSigningKey, JWT_BEARER_ASSERTION_TYPE, mintClientAssertion } from '@pdx/crypto';
import { directoryService, getPartyRoute, type PartyDoc, partyDocs } from '@pdx/directory';
import { createHost } from '@pdx/host';
import { authPlugin, createHttpServer, type Principal } from '@pdx/http';
import { intakeService } from '@pdx/intake';
import { silentLogger, systemClock } from '@pdx/runtime';
import { openEmbeddedStore } from '@pdx/store';

const N = Number(process.env.BENCH_READS ?? 5000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

async function rate(n: number, concurrency: number, work: () => Promise<unknown>) {
  let left = n;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await work();
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-bench-auth-'));
  const operator = await generateSigningKey('EdDSA', 'ops-1');
  const partner = await generateSigningKey('EdDSA', 'p-1');
  const host = await createHost({
    name: 'bench',
    services: [intakeService, directoryService],
    env: {
      PDX_DATA_DIR: dir,
      PORT: '0',
      PDX_OPERATORS: JSON.stringify([{ id: 'ops', jwks: { keys: [operator.publicJwk] } }]),
    },
    logger: silentLogger(),
  });
  const { url } = await host.start();
  const tokenOf = async (who: string, key: typeof operator.privateJwk) => {
    const assertion = await mintClientAssertion({
      privateJwk: key,
      clientId: who,
      audience: url,
      now: Date.now(),
    });
    const r = await host.http.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_assertion_type: JWT_BEARER_ASSERTION_TYPE,
        client_assertion: assertion,
      }).toString(),
    });
    if (r.statusCode !== 200) throw new Error(`token: ${r.statusCode} ${r.body}`);
    return r.json().access_token as string;
  };
  const registered = await host.http.inject({
    method: 'POST',
    url: '/v1/parties',
    headers: {
      authorization: `Bearer ${await tokenOf('ops', operator.privateJwk)}`,
      'content-type': 'application/json',
    },
    payload: JSON.stringify({
      partyId: 'acme',
      legalName: 'ACME',
      country: 'DE',
      roles: ['partner'],
      jwks: { keys: [partner.publicJwk] },
    }),
  });
  if (registered.statusCode !== 201) throw new Error(registered.body);
  const token = await tokenOf('acme', partner.privateJwk);
  const on = {
    method: 'GET' as const,
    url: '/v1/parties/acme',
    headers: { authorization: `Bearer ${token}` },
  };
  for (let i = 0; i < 200 && (await host.http.inject(on)).statusCode !== 200; i++)
    await new Promise((r) => setTimeout(r, 50));

  // The same route over the same projection, its auth plugin switched off for this bench.
  const store = openEmbeddedStore({ dir, database: 'directory' });
  const principal: Principal = { kind: 'party', id: 'acme', roles: ['partner'] };
  const off = createHttpServer({ logger: silentLogger(), registry: new SchemaRegistry(), readiness: [] });
  await off.register(authPlugin, { verifier: { verify: async () => principal }, realm: 'bench' });
  await off.register(getPartyRoute(await store.collection<PartyDoc>(partyDocs), systemClock));
  await off.ready();
  const plain = { method: 'GET' as const, url: '/v1/parties/acme', headers: { authorization: 'Bearer x' } };
  for (const [name, server, req] of [
    ['on', host.http, on],
    ['off', off, plain],
  ] as const) {
    const res = await server.inject(req);
    if (res.statusCode !== 200) throw new Error(`${name}: ${res.statusCode} ${res.body}`);
  }

  const rates = { on: [] as number[], off: [] as number[] };
  const ratios: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const offRate = await rate(Math.floor(N / ROUNDS), CONCURRENCY, () => off.inject(plain));
    const onRate = await rate(Math.floor(N / ROUNDS), CONCURRENCY, () => host.http.inject(on));
    if (round === 0) continue; // warm-up
    rates.on.push(onRate);
    rates.off.push(offRate);
    ratios.push(onRate / offRate);
  }
  await off.close();
  await store.close();
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
  const range = `${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)}`;
  console.log(
    `auth benchmark: ${ROUNDS} rounds of ${Math.floor(N / ROUNDS)} reads of GET /v1/parties/{id}, ${CONCURRENCY} in flight (medians)\n`,
  );
  console.log(
    `${'authentication off (baseline)'.padEnd(48)} ${median(rates.off).toFixed(0).padStart(7)} reads/s`,
  );
  console.log(
    `${'access token, reused'.padEnd(48)} ${median(rates.on).toFixed(0).padStart(7)} reads/s   ratio ${median(ratios).toFixed(3)}x (rounds ${range}; target ≥ 0.7)`,
  );
  console.log('(the token is verified once against the exchange key, then found by its hash)\n');
}

await main();

/**
 * `npm run bench` (part 2): intake throughput for Declarations of Security — authenticated,
 * verified (signature, key, schema, issuer, window), checked against relationships and
 * durably published on the embedded log — next to raw `jose` compactVerify of the same JWS
 * measured in the same run, as a ratio.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEventBus } from '@pdx/bus';
import { SchemaRegistry } from '@pdx/contracts';
import {
  DECLARATION_TYP,
  generateSigningKey,
  JWT_BEARER_ASSERTION_TYPE,
  mintClientAssertion,
  type PrivateJwk,
  signCompact,
  verifyDeclaration,
} from '@pdx/crypto';
import { createHost } from '@pdx/host';
import {
  acceptRelationship,
  type DeclarationRecord,
  declarationRecords,
  intakeService,
  offerRelationship,
  type PartyRecord,
  partyRecords,
  type RelationshipRecord,
  registerParty,
  relationshipRecords,
  submitDeclaration,
} from '@pdx/intake';
import { silentLogger } from '@pdx/runtime';
import { openEmbeddedStore } from '@pdx/store';
import { compactVerify, importJWK } from 'jose';

const N = Number(process.env.BENCH_DECLARATIONS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** Runs `work(i)` for i in [from, to) with `concurrency` loops; returns items per second. */
async function rate(from: number, to: number, concurrency: number, work: (i: number) => Promise<unknown>) {
  let next = from;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < to; i = next++) await work(i);
    }),
  );
  return (to - from) / ((performance.now() - t0) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-bench-intake-'));
  const operator = await generateSigningKey('EdDSA', 'ops-1');
  const partner = await generateSigningKey('EdDSA', 'p-1');
  const buyer = await generateSigningKey('EdDSA', 'b-1');
  const host = await createHost({
    name: 'bench',
    services: [intakeService],
    env: {
      PDX_DATA_DIR: dir,
      PORT: '0',
      PDX_OPERATORS: JSON.stringify([{ id: 'ops', jwks: { keys: [operator.publicJwk] } }]),
    },
    logger: silentLogger(),
  });
  await host.start();
  // One access token per principal from the token endpoint, reused for every call (as a client does).
  const issued = new Map<string, Promise<string>>();
  const token = (iss: string, key: PrivateJwk) => {
    let t = issued.get(iss);
    if (!t) {
      t = (async () => {
        const meta = await host.http.inject({
          method: 'GET',
          url: '/.well-known/oauth-authorization-server',
        });
        const assertion = await mintClientAssertion({
          privateJwk: key,
          clientId: iss,
          audience: meta.json().issuer,
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
      })();
      issued.set(iss, t);
    }
    return t;
  };
  const call = async (url: string, auth: string, payload: string, contentType = 'application/json') => {
    const r = await host.http.inject({
      method: 'POST',
      url,
      headers: { authorization: `Bearer ${auth}`, 'content-type': contentType },
      payload,
    });
    if (r.statusCode >= 300) throw new Error(`${url}: ${r.statusCode} ${r.body}`);
  };
  const register = (id: string, roles: string[], jwk: unknown) =>
    token('ops', operator.privateJwk).then((t) =>
      call(
        '/v1/parties',
        t,
        JSON.stringify({ partyId: id, legalName: id, country: 'DE', roles, jwks: { keys: [jwk] } }),
      ),
    );
  await register('acme', ['partner'], partner.publicJwk);
  await register('globex', ['buyer'], buyer.publicJwk);
  await call(
    '/v1/relationships',
    await token('globex', buyer.privateJwk),
    JSON.stringify({ partnerId: 'acme', scopeOfService: { functions: ['warehouse'] } }),
  );
  await call('/v1/relationships/globex~acme/acceptance', await token('acme', partner.privateJwk), '{}');

  // The intake pipeline itself, below HTTP and token authentication, on its own store and log.
  const pipeDir = mkdtempSync(join(tmpdir(), 'pdx-bench-pipeline-'));
  const registry = new SchemaRegistry();
  const store = openEmbeddedStore({ dir: pipeDir, database: 'intake' });
  const bus = new EmbeddedEventBus({ dataDir: pipeDir, registry, logger: silentLogger() });
  const clock = { now: () => Date.now() };
  const deps = {
    parties: await store.collection<PartyRecord>(partyRecords),
    relationships: await store.collection<RelationshipRecord>(relationshipRecords),
    declarations: await store.collection<DeclarationRecord>(declarationRecords),
    bus,
    registry,
    clock,
    logger: silentLogger(),
    source: 'urn:pdx:bench',
  };
  const party = (id: string, roles: ('partner' | 'buyer')[], jwk: typeof partner.publicJwk) =>
    registerParty(deps, { partyId: id, legalName: id, country: 'DE', roles, jwks: { keys: [jwk] } }, 'ops');
  await party('acme', ['partner'], partner.publicJwk);
  await party('globex', ['buyer'], buyer.publicJwk);
  await offerRelationship(
    deps,
    { kind: 'party', id: 'globex', roles: ['buyer'] },
    { partnerId: 'acme', scopeOfService: { functions: ['warehouse'] } },
  );
  await acceptRelationship(deps, { kind: 'party', id: 'acme', roles: ['partner'] }, 'globex~acme');
  const signer = { partyId: 'acme', keys: (await deps.parties.get('acme'))!.keys };

  const now = Date.now();
  const declaration = (n: number) => ({
    declarationId: `dos-${n}`,
    issuer: 'acme',
    recipients: ['globex'],
    scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
    measures: {
      E: {
        statement: 'Fenced, lit, access-controlled.',
        controls: ['Badge access', 'CCTV'],
        isoReferences: { iso28000: ['4.4.6'], iso28001: ['5.4'] },
      },
    },
    validity: {
      from: new Date(now - 86_400_000).toISOString(),
      until: new Date(now + 365 * 86_400_000).toISOString(),
    },
    signatory: { name: 'E. Mustermann', title: 'Head of Security', authority: 'Prokura' },
    issuedAt: new Date(now - 60_000).toISOString(),
  });
  // Signed before timing, and the access token obtained once: the partner's side is not what is measured.
  // Each round uses its own slice; a warm-up slice comes first.
  const per = Math.max(CONCURRENCY, Math.floor(N / ROUNDS));
  const total = per * (ROUNDS + 1);
  const jwsList = await Promise.all(
    Array.from({ length: total }, (_, n) =>
      signCompact(JSON.stringify(declaration(n)), partner.privateJwk, DECLARATION_TYP),
    ),
  );
  const accessToken = await token('acme', partner.privateJwk);
  const key = await importJWK(partner.publicJwk, 'EdDSA');
  const policy = { now: Date.now(), maxAheadMs: 90 * 86_400_000, skewMs: 30_000 };
  const measures = {
    jose: (i: number) => compactVerify(jwsList[i]!, key),
    http: (i: number) => call('/v1/declarations', accessToken, jwsList[i]!, 'application/jose'),
    pipeline: async (i: number) =>
      submitDeclaration(deps, await verifyDeclaration(jwsList[i]!, signer, registry, policy), signer.keys),
  };

  // Rounds interleave the baseline with each measurement, so that a change in the machine's
  // speed during the run (a shared host) affects both sides of a ratio alike; the median
  // round is reported. HTTP one at a time uses half a slice (it is the slowest).
  const ratios = {
    sequential: [] as number[],
    concurrent: [] as number[],
    pipeline: [] as number[],
    httpToPipeline: [] as number[],
  };
  const rates = {
    jose: [] as number[],
    sequential: [] as number[],
    concurrent: [] as number[],
    pipeline: [] as number[],
  };
  for (let round = 0; round <= ROUNDS; round++) {
    const from = round * per;
    const to = from + per;
    const jose = await rate(from, to, 1, measures.jose);
    const sequential = await rate(from, from + Math.floor(per / 2), 1, measures.http);
    const concurrent = await rate(from + Math.floor(per / 2), to, CONCURRENCY, measures.http);
    const pipeline = await rate(from, to, CONCURRENCY, measures.pipeline);
    if (round === 0) continue; // warm-up
    rates.jose.push(jose);
    rates.sequential.push(sequential);
    rates.concurrent.push(concurrent);
    rates.pipeline.push(pipeline);
    ratios.sequential.push(sequential / jose);
    ratios.concurrent.push(concurrent / jose);
    ratios.pipeline.push(pipeline / jose);
    ratios.httpToPipeline.push(concurrent / pipeline);
  }

  await host.stop();
  await bus.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(pipeDir, { recursive: true, force: true });
  const range = (xs: number[]) => `${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)}`;
  const line = (name: string, rs: number[], unit: string, rt?: number[]) =>
    console.log(
      `${name.padEnd(48)} ${median(rs).toFixed(0).padStart(7)} ${unit}${
        rt === undefined ? '' : `   ratio ${median(rt).toFixed(3)}x (rounds ${range(rt)})`
      }`,
    );
  console.log(
    `intake benchmark: ${ROUNDS} rounds of ${per} declarations of ${jwsList[0]!.length} bytes on the embedded log (medians)\n`,
  );
  line('raw jose compactVerify (baseline)', rates.jose, 'verifications/s');
  line('intake, one request at a time', rates.sequential, 'declarations/s', ratios.sequential);
  line(`intake, ${CONCURRENCY} requests in flight`, rates.concurrent, 'declarations/s', ratios.concurrent);
  line(
    `intake pipeline, ${CONCURRENCY} in flight (no HTTP)`,
    rates.pipeline,
    'declarations/s',
    ratios.pipeline,
  );
  line(
    `HTTP intake with a reused access token / pipeline`,
    rates.concurrent,
    'declarations/s',
    ratios.httpToPipeline,
  );
  console.log('(HTTP: access token (verified once, then by its hash), declaration signature, schema,');
  console.log(' links, durable publish; pipeline: the same without HTTP and token; target ≥ 0.6)\n');
}

await main();

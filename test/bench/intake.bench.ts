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
  mintAuthToken,
  type PrivateJwk,
  signCompact,
  verifyDeclaration,
} from '@pdx/crypto';
import { createHost } from '@pdx/host';
import {
  acceptRelationship,
  type DeclarationRecord,
  declarationCollection,
  intakeService,
  offerRelationship,
  type PartyRecord,
  partyCollection,
  type RelationshipRecord,
  registerParty,
  relationshipCollection,
  submitDeclaration,
} from '@pdx/intake';
import { silentLogger } from '@pdx/runtime';
import { openEmbeddedStore } from '@pdx/store';
import { compactVerify, importJWK } from 'jose';

const N = Number(process.env.BENCH_DECLARATIONS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

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
  const token = (iss: string, key: PrivateJwk) =>
    mintAuthToken({ privateJwk: key, issuer: iss, audience: 'pdx', now: Date.now(), lifetimeSeconds: 300 });
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
  // Signed and tokens minted before timing: the partner's side is not what is measured.
  const jwsList = await Promise.all(
    Array.from({ length: N + 100 }, (_, n) =>
      signCompact(JSON.stringify(declaration(n)), partner.privateJwk, DECLARATION_TYP),
    ),
  );
  const tokens = await Promise.all(jwsList.map(() => token('acme', partner.privateJwk)));

  // Baseline: raw jose compactVerify of the same JWS, one core.
  const key = await importJWK(partner.publicJwk, 'EdDSA');
  for (let i = 0; i < 200; i++) await compactVerify(jwsList[i]!, key);
  let t0 = performance.now();
  for (let i = 0; i < N; i++) await compactVerify(jwsList[i]!, key);
  const joseRate = N / ((performance.now() - t0) / 1000);

  // Warm-up, then intake end to end (each answer 202 = event durably in the log): one
  // request at a time, then CONCURRENCY at a time (concurrent requests share fsync'd commits).
  for (let i = N; i < N + 100; i++)
    await call('/v1/declarations', tokens[i]!, jwsList[i]!, 'application/jose');
  const half = Math.floor(N / 2);
  t0 = performance.now();
  for (let i = 0; i < half; i++) await call('/v1/declarations', tokens[i]!, jwsList[i]!, 'application/jose');
  const sequentialRate = half / ((performance.now() - t0) / 1000);
  let next = half;
  t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < N; i = next++)
        await call('/v1/declarations', tokens[i]!, jwsList[i]!, 'application/jose');
    }),
  );
  const concurrentRate = (N - half) / ((performance.now() - t0) / 1000);

  await host.stop();
  rmSync(dir, { recursive: true, force: true });

  // The intake pipeline itself, below HTTP and token authentication: verify (signature, key,
  // schema, issuer, window) + validate (links, idempotency) + durable publish.
  const pipeDir = mkdtempSync(join(tmpdir(), 'pdx-bench-pipeline-'));
  const registry = new SchemaRegistry();
  const store = openEmbeddedStore({ dir: pipeDir, database: 'intake' });
  const bus = new EmbeddedEventBus({ dataDir: pipeDir, registry, logger: silentLogger() });
  const clock = { now: () => Date.now() };
  const deps = {
    parties: await store.collection<PartyRecord>(partyCollection),
    relationships: await store.collection<RelationshipRecord>(relationshipCollection),
    declarations: await store.collection<DeclarationRecord>(declarationCollection),
    bus,
    registry,
    clock,
    logger: silentLogger(),
    source: '/bench',
  };
  const party = (id: string, roles: ('partner' | 'buyer')[], jwk: typeof partner.publicJwk) =>
    registerParty(deps, { partyId: id, legalName: id, country: 'DE', roles, jwks: { keys: [jwk] } }, 'ops');
  await party('acme', ['partner'], partner.publicJwk);
  await party('globex', ['buyer'], buyer.publicJwk);
  await offerRelationship(
    deps,
    { kind: 'party', id: 'globex' },
    { partnerId: 'acme', scopeOfService: { functions: ['warehouse'] } },
  );
  await acceptRelationship(deps, { kind: 'party', id: 'acme' }, 'globex~acme');
  const signer = { partyId: 'acme', keys: (await deps.parties.get('acme'))!.keys };
  const policy = { now: Date.now(), maxAheadMs: 90 * 86_400_000, skewMs: 30_000 };
  const pipeline = async (i: number) =>
    submitDeclaration(deps, await verifyDeclaration(jwsList[i]!, signer, registry, policy));
  for (let i = N; i < N + 100; i++) await pipeline(i);
  let cursor = 0;
  t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = cursor++; i < N; i = cursor++) await pipeline(i);
    }),
  );
  const pipelineRate = N / ((performance.now() - t0) / 1000);
  await bus.close();
  await store.close();
  rmSync(pipeDir, { recursive: true, force: true });
  const line = (name: string, rate: number, unit: string, ratio?: number) =>
    console.log(
      `${name.padEnd(48)} ${rate.toFixed(0).padStart(7)} ${unit}${ratio === undefined ? '' : `   ratio ${ratio.toFixed(3)}x`}`,
    );
  console.log(`intake benchmark: ${N} declarations of ${jwsList[0]!.length} bytes on the embedded log\n`);
  line('raw jose compactVerify (baseline)', joseRate, 'verifications/s');
  line('intake, one request at a time', sequentialRate, 'declarations/s', sequentialRate / joseRate);
  line(
    `intake, ${CONCURRENCY} requests in flight`,
    concurrentRate,
    'declarations/s',
    concurrentRate / joseRate,
  );
  line(
    `intake pipeline, ${CONCURRENCY} in flight (no HTTP)`,
    pipelineRate,
    'declarations/s',
    pipelineRate / joseRate,
  );
  console.log('(HTTP: token and declaration signatures, schema, links, durable publish;');
  console.log(' pipeline: declaration signature, schema, links, durable publish)\n');
}

await main();

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEventBus } from '@pdx/bus';
import { SchemaRegistry } from '@pdx/contracts';
import { generateSigningKey, type PrivateJwk } from '@pdx/crypto';
import { exchangeKeyOnce, type ServiceModule } from '@pdx/host';
import { ConfigReader, createMetricsRegistry, ManualClock, silentLogger, systemClock } from '@pdx/runtime';
import { type DocumentStore, openEmbeddedStore } from '@pdx/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertsService } from './service.js';
import { WEBHOOK_KEY_FILE } from './webhooks/webhook-key.js';

/** The alerts service's start-up on the embedded store and log: its settings and its keys. */
describe('alerts service configuration', () => {
  let dir: string;
  let store: DocumentStore;
  let bus: EmbeddedEventBus;
  const modules: ServiceModule[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pdx-alerts-config-'));
    store = openEmbeddedStore({ dir, database: 'alerts' });
    bus = new EmbeddedEventBus({ dataDir: dir, registry: new SchemaRegistry(), logger: silentLogger() });
    await bus.start();
  });
  afterEach(async () => {
    for (const m of modules.splice(0)) await m.stop();
    await bus.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const create = (env: Record<string, string>, mode: 'embedded' | 'production' = 'embedded') =>
    Promise.resolve(
      alertsService.create({
        bus,
        store,
        registry: new SchemaRegistry(),
        clock: new ManualClock('2027-01-01T00:00:00Z'),
        wallClock: systemClock,
        exchangeKey: exchangeKeyOnce(new ConfigReader(env), mode, dir, silentLogger()),
        logger: silentLogger(),
        config: new ConfigReader(env),
        mode,
        dataDir: dir,
        metrics: createMetricsRegistry(),
        auth: { audience: 'pdx', operators: [], clockSkewSeconds: 30, issuer: () => 'http://pdx.test' },
      }),
    ).then((m) => {
      modules.push(m);
      return m;
    });
  const codeOf = async (env: Record<string, string>, mode: 'embedded' | 'production' = 'embedded') => {
    try {
      await create(env, mode);
      return 'started';
    } catch (error) {
      return `${(error as { code?: string }).code ?? (error as Error).name}: ${(error as Error).message}`;
    }
  };
  const key = async (alg: 'EdDSA' | 'ES256', kid: string): Promise<PrivateJwk> =>
    (await generateSigningKey(alg, kid)).privateJwk;

  it('refuses a bad retry schedule or jitter, and the retry settings it no longer reads: PDX_CONFIG_INVALID', async () => {
    expect(await codeOf({ PDX_WEBHOOK_RETRY_SCHEDULE: '5s,soon' })).toMatch(
      /^PDX_CONFIG_INVALID: PDX_WEBHOOK_RETRY_SCHEDULE step 2 is "soon"/,
    );
    expect(await codeOf({ PDX_WEBHOOK_RETRY_SCHEDULE: '0s' })).toMatch(/^PDX_CONFIG_INVALID: /);
    expect(await codeOf({ PDX_WEBHOOK_RETRY_JITTER_PERCENT: '80' })).toMatch(
      /^PDX_CONFIG_INVALID: PDX_WEBHOOK_RETRY_JITTER_PERCENT must be between 0 and 50/,
    );
    expect(await codeOf({ PDX_ALERT_STREAM_SETTLE_MS: '-1' })).toMatch(/^PDX_CONFIG_INVALID: /);
    for (const removed of [
      'PDX_WEBHOOK_MAX_ATTEMPTS',
      'PDX_WEBHOOK_RETRY_BASE_MS',
      'PDX_WEBHOOK_RETRY_MAX_MS',
    ]) {
      expect(await codeOf({ [removed]: '8' })).toMatch(
        new RegExp(`^PDX_CONFIG_INVALID: ${removed} is no longer read: set PDX_WEBHOOK_RETRY_SCHEDULE`),
      );
    }
    expect(
      await codeOf({ PDX_WEBHOOK_RETRY_SCHEDULE: '1m, 1h', PDX_WEBHOOK_RETRY_JITTER_PERCENT: '0' }),
    ).toBe('started');
  });

  it('signs Standard Webhooks with the exchange key when it is Ed25519: one key in the JWKS', async () => {
    const exchange = await key('EdDSA', 'exchange-ed');
    const m = await create({ PDX_EXCHANGE_KEY: JSON.stringify(exchange) }, 'production');
    expect(m.publicKeys?.map((k) => k.kid)).toEqual(['exchange-ed']);
  });

  it('gives an ES256 exchange a dedicated Ed25519 webhook key: created once in embedded mode, required in production', async () => {
    const exchange = JSON.stringify(await key('ES256', 'exchange-ec'));
    const first = await create({ PDX_EXCHANGE_KEY: exchange });
    const [, webhook] = first.publicKeys ?? [];
    expect(first.publicKeys?.[0]?.kid).toBe('exchange-ec');
    expect(webhook).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(webhook?.kid).toMatch(/^webhook-/);
    expect(statSync(join(dir, WEBHOOK_KEY_FILE)).mode & 0o777).toBe(0o600);
    const again = await create({ PDX_EXCHANGE_KEY: exchange });
    expect(again.publicKeys?.[1]?.kid).toBe(webhook?.kid);

    expect(await codeOf({ PDX_EXCHANGE_KEY: exchange }, 'production')).toMatch(
      /^PDX_CONFIG_INVALID: set PDX_WEBHOOK_KEY_FILE \(or PDX_WEBHOOK_KEY\): the exchange key is ES256/,
    );
    const own = await key('EdDSA', 'webhook-1');
    const configured = await create(
      { PDX_EXCHANGE_KEY: exchange, PDX_WEBHOOK_KEY: JSON.stringify(own) },
      'production',
    );
    expect(configured.publicKeys?.map((k) => k.kid)).toEqual(['exchange-ec', 'webhook-1']);
    expect(
      await codeOf(
        { PDX_EXCHANGE_KEY: exchange, PDX_WEBHOOK_KEY: JSON.stringify(await key('ES256', 'webhook-ec')) },
        'production',
      ),
    ).toMatch(/^PDX_CONFIG_INVALID: PDX_WEBHOOK_KEY: the key must be EdDSA, not ES256/);
  });
});

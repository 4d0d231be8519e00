import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@pdx/bus/testing';
import { silentLogger } from '@pdx/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { createHost, type Host } from './host.js';
import type { ServiceDefinition } from './service-module.js';

/** A service whose start() waits until the test lets it finish, or fails. */
function slowService(name: string) {
  let finish: (error?: Error) => void = () => {};
  const started = new Promise<void>((resolve, reject) => {
    finish = (error) => (error ? reject(error) : resolve());
  });
  let stopped = false;
  const definition: ServiceDefinition = {
    name,
    create: () => ({
      name,
      routes: async (app) => {
        app.get(`/${name}`, { config: { access: 'public' } }, async () => ({ name }));
      },
      start: () => started,
      stop: async () => {
        stopped = true;
      },
    }),
  };
  return { definition, finish: (error?: Error) => finish(error), stopped: () => stopped };
}

describe('host start-up order', () => {
  const dirs: string[] = [];
  const hosts: Host[] = [];
  afterEach(async () => {
    for (const h of hosts.splice(0)) await h.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const host = async (services: ServiceDefinition[]) => {
    const dir = mkdtempSync(join(tmpdir(), 'pdx-host-'));
    dirs.push(dir);
    const h = await createHost({
      name: 'test',
      services,
      env: { PDX_DATA_DIR: dir, PORT: '0' },
      logger: silentLogger(),
    });
    hosts.push(h);
    return h;
  };

  it('is live while its services start, and ready once they have', async () => {
    const slow = slowService('slow');
    const h = await host([slow.definition]);
    const starting = h.start();
    await eventually(() => expect(h.http.server.listening).toBe(true));
    expect((await h.http.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const notReady = await h.http.inject({ method: 'GET', url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toEqual({
      status: 'not-ready',
      checks: { eventLog: 'ok', 'database:slow': 'ok', startup: 'starting: slow', consumers: 'ok' },
    });
    slow.finish();
    expect((await starting).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ready = await h.http.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toMatchObject({ startup: 'ok', consumers: 'ok' });
  });

  it('stops what it started and stops listening when a service cannot start', async () => {
    const first = slowService('first');
    const broken = slowService('broken');
    const h = await host([first.definition, broken.definition]);
    first.finish();
    broken.finish(new Error('no such file'));
    await expect(h.start()).rejects.toThrow('no such file');
    expect(first.stopped()).toBe(true);
    expect(broken.stopped()).toBe(false);
    expect(h.http.server.listening).toBe(false);
  });

  it('refuses a service whose route does not say who may call it (fail closed)', async () => {
    const undeclared: ServiceDefinition = {
      name: 'undeclared',
      create: () => ({
        name: 'undeclared',
        routes: async (app) => {
          app.get('/v1/open-by-mistake', async () => ({}));
        },
        start: async () => {},
        stop: async () => {},
      }),
    };
    await expect(host([undeclared])).rejects.toThrow(/GET \/v1\/open-by-mistake declares no access/);
  });

  it('names its listen URL as the issuer unless PDX_PUBLIC_URL says otherwise, and checks that URL', async () => {
    let issuer: (() => string) | undefined;
    const probe: ServiceDefinition = {
      name: 'probe',
      create: ({ auth }) => {
        issuer = auth.issuer;
        return { name: 'probe', routes: async () => {}, start: async () => {}, stop: async () => {} };
      },
    };
    const h = await host([probe]);
    const { url } = await h.start();
    expect(issuer!()).toBe(url);
    const dir = mkdtempSync(join(tmpdir(), 'pdx-host-'));
    dirs.push(dir);
    const env = { PDX_DATA_DIR: dir, PORT: '0' };
    const named = await createHost({
      name: 'test',
      services: [probe],
      env: { ...env, PDX_PUBLIC_URL: 'https://pdx.example/' },
      logger: silentLogger(),
    });
    hosts.push(named);
    await named.start();
    expect(issuer!()).toBe('https://pdx.example');
    await expect(
      createHost({
        name: 'test',
        services: [probe],
        env: { ...env, PDX_PUBLIC_URL: 'pdx.example' },
        logger: silentLogger(),
      }),
    ).rejects.toThrow(/PDX_PUBLIC_URL must be an http\(s\) URL/);
  });

  it('closes what it opened when a service cannot be created', async () => {
    const failing: ServiceDefinition = {
      name: 'failing',
      create: () => {
        throw new Error('bad setting');
      },
    };
    const dir = mkdtempSync(join(tmpdir(), 'pdx-host-'));
    dirs.push(dir);
    const created = createHost({
      name: 'test',
      services: [failing],
      env: { PDX_DATA_DIR: dir },
      logger: silentLogger(),
    });
    await expect(created).rejects.toThrow('bad setting');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { topics } from '@pdx/contracts';
import { silentLogger } from '@pdx/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { createHost, type Host } from './host.js';
import type { ServiceDefinition } from './service-module.js';

const consumer: ServiceDefinition = {
  name: 'probe',
  create: ({ bus }) => {
    let stop: (() => Promise<void>) | undefined;
    return {
      name: 'probe',
      routes: async (app) => {
        app.get('/v1/probe/:id', { config: { access: 'public' } }, async () => ({ ok: true }));
      },
      async start() {
        const s = await bus.subscribe({ group: 'probe', topics: [topics.parties], handler: async () => {} });
        stop = () => s.stop();
      },
      stop: async () => stop?.(),
    };
  },
};

describe('where a host serves its metrics', () => {
  const dirs: string[] = [];
  const hosts: Host[] = [];
  afterEach(async () => {
    for (const h of hosts.splice(0)) await h.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const start = async (env: Record<string, string> = {}) => {
    const dir = mkdtempSync(join(tmpdir(), 'pdx-metrics-'));
    dirs.push(dir);
    const h = await createHost({
      name: 'test',
      services: [consumer],
      env: { PDX_DATA_DIR: dir, PORT: '0', ...env },
      logger: silentLogger(),
    });
    hosts.push(h);
    return { host: h, ...(await h.start()) };
  };

  it('on the main port by default, with the process, HTTP and event-log metrics', async () => {
    const { url, metricsUrl } = await start();
    expect(metricsUrl).toBeUndefined();
    await fetch(`${url}/v1/probe/1`);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="/v1/probe/:id",status_code="200"} 1',
    );
    expect(text).toContain('pdx_consumer_lag_messages{group="probe",topic="pdx.parties"} 0');
  });

  it('only on PDX_METRICS_PORT when it is set: the main port has no /metrics', async () => {
    const { url, metricsUrl } = await start({ PDX_METRICS_PORT: '0' });
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(metricsUrl).not.toBe(url);
    const main = await fetch(`${url}/metrics`);
    expect(main.status).toBe(404);
    expect(main.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    await main.text();
    const res = await fetch(`${metricsUrl}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    // The main port's requests are still timed, into the one registry.
    expect(text).toContain(
      'http_request_duration_seconds_count{method="GET",route="unmatched",status_code="404"} 1',
    );
    const other = await fetch(`${metricsUrl}/v1/probe/1`);
    expect(other.status).toBe(404);
    await other.text();
  });

  it('refuses a PDX_METRICS_PORT that is not a port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pdx-metrics-'));
    dirs.push(dir);
    await expect(
      createHost({
        name: 'test',
        services: [consumer],
        env: { PDX_DATA_DIR: dir, PDX_METRICS_PORT: '70000' },
        logger: silentLogger(),
      }),
    ).rejects.toMatchObject({ code: 'PDX_CONFIG_INVALID' });
  });

  it('keeps one registry per host: two hosts in one process count apart', async () => {
    const a = await start();
    const b = await start();
    await fetch(`${a.url}/v1/probe/1`);
    await fetch(`${a.url}/v1/probe/2`);
    const textA = await (await fetch(`${a.url}/metrics`)).text();
    const textB = await (await fetch(`${b.url}/metrics`)).text();
    expect(textA).toContain('route="/v1/probe/:id",status_code="200"} 2');
    expect(textB).not.toContain('route="/v1/probe/:id"');
  });
});

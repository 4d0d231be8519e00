import { alertsService } from '@pdx/alerts';
import { certificatesService } from '@pdx/certificates';
import { directoryService } from '@pdx/directory';
import { upstreamOf } from '@pdx/gateway';
import type { ServiceDefinition } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { ledgerService } from '@pdx/ledger';
import { reviewService } from '@pdx/review';
import { systemClock } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost } from './api-client.js';
import { embeddedTarget, type SliceTarget } from './targets.js';

// Every route a service declares must reach that service through the gateway: a route added
// to a service that the gateway's table sends elsewhere fails here.

const routes: { service: string; method: string; url: string }[] = [];

/** The service as it is, recording each route it registers. */
function recording(definition: ServiceDefinition): ServiceDefinition {
  return {
    name: definition.name,
    async create(deps) {
      const module = await definition.create(deps);
      return {
        ...module,
        routes: async (app) => {
          app.addHook('onRoute', (route) => {
            for (const method of [route.method].flat())
              routes.push({ service: definition.name, method, url: route.url });
          });
          await app.register(module.routes);
        },
      };
    },
  };
}

describe('gateway routing table', () => {
  let target: SliceTarget;
  let stop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    target = await embeddedTarget();
    const host = await startHost(
      'pdx-routes',
      [intakeService, directoryService, certificatesService, alertsService, reviewService, ledgerService].map(
        recording,
      ),
      { ...target.env, PORT: '0' },
      systemClock,
    );
    stop = () => host.stop();
  });
  afterAll(async () => {
    await stop?.();
    await target?.cleanup?.();
  });

  it('sends every route of every service to that service', () => {
    expect(routes.length).toBeGreaterThan(40);
    const misrouted = routes
      .map((r) => ({ ...r, path: r.url.replace(/:[A-Za-z]+/g, 'x').replace(/\*/g, 'x') }))
      .filter((r) => upstreamOf(r.method, r.path) !== r.service)
      .map(
        (r) => `${r.method} ${r.url} (${r.service}) goes to ${upstreamOf(r.method, r.path) ?? 'no service'}`,
      );
    expect(misrouted).toEqual([]);
  });
});

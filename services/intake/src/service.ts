import type { ServiceDefinition } from '@pdx/host';
import { requireAuthentication, storeReplayGuard } from '@pdx/http';
import { keyRoutes } from './keys/key-routes.js';
import { flushOutboxes } from './parties/outbox.js';
import { type PartyRecord, partyCollection } from './parties/party-record.js';
import { registerPartyRoute } from './parties/register-party.route.js';

/**
 * intake: where parties (and later their declarations and certificates) enter the
 * exchange. It authenticates, verifies, records what it accepted, and publishes events.
 */
export const intakeService: ServiceDefinition = {
  name: 'intake',
  async create({ bus, store, registry, clock, logger, auth }) {
    const parties = await store.collection<PartyRecord>(partyCollection);
    const deps = { parties, bus, registry, clock, logger, source: '/pdx/intake' };
    const replay = await storeReplayGuard(store, clock, logger);
    const authenticate = requireAuthentication({
      ...auth,
      clock,
      replay,
      parties: { keysOf: async (partyId) => (await parties.get(partyId))?.keys },
    });
    return {
      name: 'intake',
      routes: async (app) => {
        await app.register(registerPartyRoute(deps, authenticate));
        await app.register(keyRoutes(deps, authenticate));
      },
      async start() {
        const flushed = await flushOutboxes(deps);
        if (flushed > 0) logger.info({ flushed }, 'published events left in outboxes');
      },
      async stop() {
        replay.stop();
      },
    };
  },
};

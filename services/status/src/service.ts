import type { Subscription } from '@pdx/bus';
import { topics } from '@pdx/contracts';
import type { ServiceDefinition } from '@pdx/host';
import { requireAuthentication, storeReplayGuard } from '@pdx/http';
import { isoNow } from '@pdx/runtime';
import { getPartyRoute } from './parties/get-party.route.js';
import {
  type AppliedEvent,
  appliedEvents,
  applyEvent,
  type PartyDoc,
  partyDocs,
} from './parties/party-projection.js';

export const STATUS_GROUP = 'pdx-status';

/**
 * status: the query side. Consumes events into its own store and answers buyers and
 * validators. (Partner status under ISO 28001 4.2-4.5 builds on these projections.)
 */
export const statusService: ServiceDefinition = {
  name: 'status',
  async create({ bus, store, clock, logger, auth }) {
    const parties = await store.collection<PartyDoc>(partyDocs);
    const applied = await store.collection<AppliedEvent>(appliedEvents);
    const replay = await storeReplayGuard(store, clock, logger);
    // Callers are authenticated against the keys this service has projected from events.
    const authenticate = requireAuthentication({
      ...auth,
      clock,
      replay,
      parties: { keysOf: async (partyId) => (await parties.get(partyId))?.keys },
    });
    let subscription: Subscription | undefined;
    return {
      name: 'status',
      routes: getPartyRoute(parties, clock, authenticate),
      async start() {
        subscription = await bus.subscribe({
          group: STATUS_GROUP,
          topics: [topics.parties],
          handler: async (event) => {
            const result = await applyEvent(parties, applied, event, isoNow(clock));
            logger.debug({ eventId: event.id, type: event.type, result }, 'event applied');
          },
        });
      },
      async stop() {
        await subscription?.stop();
        replay.stop();
      },
    };
  },
};

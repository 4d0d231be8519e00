import type { ServiceDefinition } from '@pdx/host';
import { type PartyRecord, partyCollection } from './parties/party-record.js';
import { recoverUnpublished } from './parties/register-party.js';
import { registerPartyRoute } from './parties/register-party.route.js';

/**
 * intake: where parties (and later their declarations and certificates) enter the
 * exchange. It verifies, records what it accepted, and publishes events.
 */
export const intakeService: ServiceDefinition = {
  name: 'intake',
  async create({ bus, store, registry, clock, logger, config }) {
    const parties = await store.collection<PartyRecord>(partyCollection);
    const deps = { parties, bus, registry, clock, logger, source: '/pdx/intake' };
    const operator = config.string('PDX_OPERATOR_ID', 'operator');
    return {
      name: 'intake',
      routes: registerPartyRoute({ ...deps, operator }),
      async start() {
        const recovered = await recoverUnpublished(deps);
        if (recovered > 0) logger.info({ recovered }, 'recovered unpublished registrations');
      },
      async stop() {},
    };
  },
};

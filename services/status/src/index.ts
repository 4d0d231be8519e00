export { getPartyRoute } from './parties/get-party.route.js';
export { evolve, type PartyDoc, partyDocs } from './parties/party-projection.js';
export { STATUS_GROUP, statusService } from './service.js';

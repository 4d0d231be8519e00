export { evolve, type PartyDoc, partyDocs } from './parties/party-projection.js';
export { getPartyRoute } from './parties/party-routes.js';
export { DIRECTORY_GROUP, directoryService } from './service.js';

export type { PartyDoc } from '@pdx/read-models';
export { getPartyRoute } from './parties/party-routes.js';
export { partyDocs } from './read-models.js';
export { DIRECTORY_GROUP, directoryService } from './service.js';

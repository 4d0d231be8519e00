export { evolve } from './parties/party-projection.js';
export { STATUS_GROUP, statusService } from './service.js';

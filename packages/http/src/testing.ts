export { enableResponseChecks, routesOf, takeResponseMismatches } from './response-check.js';

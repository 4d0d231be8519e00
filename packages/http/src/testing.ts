export { enableResponseChecks, takeResponseMismatches } from './response-check.js';

export { checkRegistration, isCountryCode, isValidLei } from './parties/party-checks.js';
export { intakeService } from './service.js';

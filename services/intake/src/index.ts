export { type DeclarationRecord, declarationRecords } from './declarations/declaration-record.js';
export {
  type DeclarationDeps,
  type SubmitOutcome,
  submitDeclaration,
} from './declarations/submit-declaration.js';
export { checkRegistration, isCountryCode, isValidLei } from './parties/party-checks.js';
export { type PartyRecord, partyRecords } from './parties/party-record.js';
export { type IntakeDeps, registerParty } from './parties/register-party.js';
export { type RelationshipRecord, relationshipRecords } from './relationships/relationship-record.js';
export {
  acceptRelationship,
  offerRelationship,
  type RelationshipDeps,
} from './relationships/relationships.js';
export { intakeService } from './service.js';

export { type CloudEvent, checkCloudEvent, isRfc3339, parseCloudEvent } from './cloudevent.js';
export { canonicalJson, contentHash } from './content-hash.js';
export { type ErrorCode, errorCatalog, problemType } from './error-catalog.js';
export { PdxError, type Violation } from './errors.js';
export {
  assertNever,
  createEvent,
  type EventDataMap,
  type EventOf,
  type EventOnTopic,
  eventCatalog,
  isPdxEventType,
  type NewEvent,
  type PdxEvent,
  type PdxEventType,
  parsePdxEvent,
  type Topic,
  topics,
} from './event-catalog.js';
export type {
  Certificate,
  CertificateAttestation,
  CertificateClaim,
  CertificateScope,
  CertificateStatusChange,
  CertificateView,
  ClaimConfirmation,
  DeclarationOfSecurity,
  DeclarationSubmittedV1,
  DeclarationView,
  KeyRevocation,
  KeyState,
  MutualRecognitionCatalogue,
  PartyIdentifier,
  PartyKeyAddedV1,
  PartyKeyRevokedV1,
  PartyRegisteredV1,
  PartyRegistration,
  PartyView,
  Problem,
  PublicJwk,
  PublicJwks,
  RecognitionPolicy,
  RecognitionPolicyUpdate,
  RelationshipAcceptedV1,
  RelationshipEndedV1,
  RelationshipOffer,
  RelationshipOfferedV1,
  RelationshipView,
  SchemeCatalogue,
  SchemeId,
  ScopeOfService,
  VerificationReport as VerificationReportSchema,
} from './generated/types.js';
export { activeKeys, declarationKey, deterministicEventId, relationshipId } from './ids.js';
export { escapeToken, pointer } from './json-pointer.js';
export { isInstant, type SchemaId, SchemaRegistry, violationsOf } from './schema-registry.js';

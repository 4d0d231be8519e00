export {
  ATTESTATION_TYP,
  type AttestationIssuer,
  type AttestationPolicy,
  type ContentViolation,
  type VerifiedAttestation,
  verifyAttestation,
} from './attestation.js';
export { decodeBase64urlStrict } from './base64url.js';
export {
  CLIENT_ASSERTION_TYP,
  type ClientAssertionOptions,
  JWT_BEARER_ASSERTION_TYPE,
  MAX_ASSERTION_LIFETIME_SECONDS,
  mintClientAssertion,
} from './client-assertion.js';
export {
  DECLARATION_TYP,
  type DeclarationPolicy,
  type VerifiedDeclaration,
  verifyDeclaration,
} from './declaration.js';
export { type ExchangeSigner, SIGNATURE_HEADER, signDetached, verifyDetached } from './detached.js';
export {
  algorithmFor,
  checkKeyAtSigningTime,
  checkSignature,
  type DecodedJws,
  decodeCompactJws,
  type JwsPolicy,
  type KeyRecord,
  type ParsedJws,
  parseCompactJws,
  recheckSigningKey,
  type SignatureAlgorithm,
} from './jws.js';
export { generateSigningKey, type PrivateJwk, publicPart, signCompact } from './sign.js';
export {
  buildReport,
  type CheckName,
  type CheckResult,
  type CheckStatus,
  checkNames,
  refuse,
  VerificationRefused,
  type VerificationReport,
} from './verification-report.js';

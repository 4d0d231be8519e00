export {
  buildCatalogues,
  type Catalogues,
  defaultRecognisedSchemes,
  evidenceSchemes,
  type IsoBasis,
  mutuallyRecognised,
  normaliseCertificateNumber,
  programmeOf,
  type ReviewEvidence,
  type Scheme,
  type ServiceFunction,
} from './catalogue.js';
export {
  type CertificateContent,
  type ContentViolation,
  certificateAfter,
  certificateId,
  checkCertificateContent,
  daysToExpiry,
  type EffectiveState,
  effectiveState,
} from './certificate-rules.js';
export { DEFAULT_ALERT_THRESHOLDS_DAYS, DEFAULT_DIGEST_THRESHOLD } from './policy-defaults.js';

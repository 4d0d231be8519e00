import type { ErrorCode } from '@pdx/contracts';

/**
 * What a submitted compact JWS (a declaration, a certificate attestation) can be refused
 * for before its content is read: the JWS itself, the signing key at signing time, the
 * signature, and the body's media type. Each route adds the problems of its own content (and,
 * through changeErrorResponses, those of the change it writes).
 */
export const signedObjectProblems: readonly ErrorCode[] = [
  'PDX_JWS_MALFORMED',
  'PDX_JWS_BASE64URL_INVALID',
  'PDX_JWS_HEADER_TOO_LARGE',
  'PDX_JWS_ALG_NOT_ALLOWED',
  'PDX_JWS_EMBEDDED_KEY',
  'PDX_JWS_CRIT_UNSUPPORTED',
  'PDX_JWS_B64_UNSUPPORTED',
  'PDX_JWS_TYP_INVALID',
  'PDX_KEY_UNKNOWN',
  'PDX_KEY_REVOKED',
  'PDX_KEY_NOT_FOR_SIGNING',
  'PDX_SIGNATURE_INVALID',
  'PDX_MEDIA_TYPE_UNSUPPORTED',
];

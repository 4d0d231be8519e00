/** What the catalog says of a code. */
export interface ErrorCatalogEntry {
  /**
   * The HTTP status a request that meets this error is answered with; null where the code
   * never reaches HTTP (a dead-letter reason, a start-up or internal failure): a request
   * that meets one anyway is answered as an unexpected error, a masked 500.
   */
  readonly status: number | null;
  /** One line on what went wrong, the problem's `title`. */
  readonly title: string;
  /**
   * True when the same call may succeed later without any change (the database or the log is
   * back): a consumer holds its event rather than dead-letter it. Absent means false.
   */
  readonly retriable?: boolean;
}

/** Marks an entry retriable (see ErrorCatalogEntry.retriable). */
function retriable<const T extends { status: number | null; title: string }>(
  entry: T,
): T & { readonly retriable: true } {
  return { ...entry, retriable: true };
}

/**
 * Every error code pdx reports, of every package, service and tool, with its HTTP status, a
 * one-line description and whether it is retriable. The README's error table is checked
 * against this catalog by a test, so the two cannot drift apart.
 */
export const errorCatalog = {
  PDX_REQUEST_MALFORMED: { status: 400, title: 'The request body is not well-formed JSON.' },
  PDX_REQUEST_INVALID: {
    status: 400,
    title: 'The request does not match its JSON Schema; see pointer and errors.',
  },
  PDX_MEDIA_TYPE_UNSUPPORTED: { status: 415, title: 'The request body must be application/json.' },
  PDX_PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is larger than the configured limit.' },
  PDX_PRIVATE_KEY_MATERIAL: {
    status: 400,
    title: 'A JWK carries private key members (d, p, q, dp, dq, qi, oth, k); only public keys are accepted.',
  },
  PDX_KEY_PURPOSES_INVALID: {
    status: 400,
    title: "A key's purposes are empty, repeated or unknown: list authentication and/or signing, once each.",
  },
  PDX_JWK_INVALID: {
    status: 400,
    title: 'A JWK is not a usable Ed25519 or P-256 public key, or its kid is repeated.',
  },
  PDX_IDENTIFIER_INVALID: {
    status: 400,
    title: 'A party identifier fails its check digits or register rules.',
  },
  PDX_COUNTRY_UNKNOWN: { status: 400, title: 'The country is not an ISO 3166-1 alpha-2 country code.' },
  PDX_JWS_MALFORMED: {
    status: 400,
    title: 'Not a JWS in compact serialization: three base64url parts, a JSON object header.',
  },
  PDX_JWS_BASE64URL_INVALID: {
    status: 400,
    title: 'A JWS part is padded or not canonical base64url (RFC 7515 §2).',
  },
  PDX_JWS_HEADER_TOO_LARGE: { status: 400, title: 'The JWS protected header is larger than allowed.' },
  PDX_JWS_ALG_NOT_ALLOWED: {
    status: 400,
    title: 'The JWS alg is not EdDSA (Ed25519) or ES256; none, HMAC and RSA are always refused.',
  },
  PDX_JWS_EMBEDDED_KEY: {
    status: 400,
    title:
      'The JWS header names its own key (jwk, jku, x5u, x5c, x5t); keys come only from the registered JWKS.',
  },
  PDX_JWS_CRIT_UNSUPPORTED: {
    status: 400,
    title: 'The JWS header has crit: no critical extension is understood.',
  },
  PDX_JWS_B64_UNSUPPORTED: {
    status: 400,
    title: 'The JWS header has b64: unencoded payloads (RFC 7797) are refused.',
  },
  PDX_JWS_TYP_INVALID: { status: 400, title: 'The JWS typ is not the one this kind of object must carry.' },
  PDX_KEY_UNKNOWN: { status: 400, title: 'The JWS kid names no key of the signing party.' },
  PDX_KEY_REVOKED: { status: 400, title: 'The key was revoked before the signature was made.' },
  PDX_KEY_NOT_FOR_SIGNING: {
    status: 400,
    title:
      'The key is registered without the purpose signing (e.g. a sign-in key): it cannot sign declarations or attestations.',
  },
  PDX_SIGNATURE_INVALID: { status: 400, title: 'The signature does not verify with the named key.' },
  PDX_AUTH_REQUIRED: {
    status: 401,
    title: 'The call needs Authorization: Bearer <access token>; POST /oauth/token gives one.',
  },
  PDX_AUTH_TOKEN_INVALID: {
    status: 401,
    title:
      'The access token is malformed or not an access token (typ at+jwt, alg EdDSA/ES256, no header key, its claims).',
  },
  PDX_AUTH_EXPIRED: { status: 401, title: 'The access token has expired: get a new one.' },
  PDX_AUTH_AUDIENCE_INVALID: {
    status: 401,
    title: 'The access token is not addressed to this exchange (aud is not PDX_EXCHANGE_ID).',
  },
  PDX_AUTH_ISSUER_INVALID: {
    status: 401,
    title: "The access token was not issued by this exchange's token endpoint (iss).",
  },
  PDX_AUTH_KEY_UNKNOWN: {
    status: 401,
    title: "The access token's kid names none of the exchange's token-signing keys.",
  },
  PDX_AUTH_SIGNATURE_INVALID: {
    status: 401,
    title: "The access token's signature does not verify (tampered, or signed by another key).",
  },
  PDX_AUTH_KEYS_UNAVAILABLE: retriable({
    status: 503,
    title: "The exchange's token-signing keys could not be fetched (PDX_AUTH_JWKS_URL); retry later.",
  }),
  PDX_OAUTH_REQUEST_INVALID: {
    status: 400,
    title:
      'Token endpoint, invalid_request: a parameter is missing, repeated or wrong, or the body is not form-encoded.',
  },
  PDX_OAUTH_GRANT_UNSUPPORTED: {
    status: 400,
    title: 'Token endpoint, unsupported_grant_type: only client_credentials is supported.',
  },
  PDX_OAUTH_SCOPE_INVALID: {
    status: 400,
    title: 'Token endpoint, invalid_scope: scope is not a list of space-separated scope tokens.',
  },
  PDX_ASSERTION_INVALID: {
    status: 401,
    title:
      'Token endpoint, invalid_client: the client assertion is malformed (alg none or HMAC, a header key, typ, iss, sub, jti, exp).',
  },
  PDX_ASSERTION_EXPIRED: {
    status: 401,
    title: 'Token endpoint, invalid_client: the client assertion has expired.',
  },
  PDX_ASSERTION_AUDIENCE_INVALID: {
    status: 401,
    title:
      "Token endpoint, invalid_client: the client assertion's aud names neither the issuer nor the token endpoint.",
  },
  PDX_ASSERTION_TOO_LONG: {
    status: 401,
    title: 'Token endpoint, invalid_client: the client assertion expires more than 5 minutes ahead.',
  },
  PDX_ASSERTION_REPLAYED: {
    status: 401,
    title: 'Token endpoint, invalid_client: the client assertion (its jti) was already used.',
  },
  PDX_CLIENT_UNKNOWN: {
    status: 401,
    title: 'Token endpoint, invalid_client: no party or operator has this id (iss).',
  },
  PDX_CLIENT_KEY_UNKNOWN: {
    status: 401,
    title: "Token endpoint, invalid_client: the assertion's kid names none of the caller's registered keys.",
  },
  PDX_CLIENT_KEY_REVOKED: {
    status: 401,
    title: 'Token endpoint, invalid_client: the signing key is revoked.',
  },
  PDX_CLIENT_KEY_NOT_FOR_AUTH: {
    status: 401,
    title: "Token endpoint, invalid_client: the signing key's purposes exclude authentication.",
  },
  PDX_CLIENT_SIGNATURE_INVALID: {
    status: 401,
    title:
      'Token endpoint, invalid_client: the client assertion signature does not verify with the named key.',
  },
  PDX_FORBIDDEN: {
    status: 403,
    title:
      'The authenticated party may not do this (only operators register parties; a party acts only as itself).',
  },
  PDX_KEY_CONFLICT: { status: 409, title: 'The party already has a different key under this kid.' },
  PDX_KEY_NOT_FOUND: { status: 404, title: 'The party has no key with this kid.' },
  PDX_KEY_ALREADY_REVOKED: {
    status: 409,
    title: 'The key is already revoked from an earlier or equal time; a revocation can only move earlier.',
  },
  PDX_ROLE_REQUIRED: {
    status: 403,
    title:
      'This needs a party (an operator acts for none), or a party with a role it lacks (e.g. only buyers list business partners).',
  },
  PDX_RELATIONSHIP_NOT_FOUND: {
    status: 404,
    title: 'No business relationship with this id involves the caller.',
  },
  PDX_RELATIONSHIP_NOT_OFFERED: {
    status: 409,
    title: 'The link was not offered (or has ended): only an offered link can be accepted.',
  },
  PDX_DECLARATION_INVALID: {
    status: 400,
    title: 'The declaration does not match its JSON Schema; see pointer (into the JWS payload) and errors.',
  },
  PDX_ISSUER_MISMATCH: {
    status: 403,
    title: 'The declaration issuer is not the authenticated party: a party submits only as itself.',
  },
  PDX_VALIDITY_EXPIRED: {
    status: 400,
    title: 'The validity of the declaration or certificate is already over.',
  },
  PDX_VALIDITY_TOO_FAR_AHEAD: {
    status: 400,
    title: 'The declaration or certificate begins, or was signed, too far in the future.',
  },
  PDX_VALIDITY_INVERTED: {
    status: 400,
    title: 'The validity ends before it begins (until / validUntil not after from / validFrom).',
  },
  PDX_RECIPIENT_UNKNOWN: {
    status: 400,
    title: 'A recipient of the declaration is not a party registered on the exchange.',
  },
  PDX_RECIPIENT_NOT_LINKED: {
    status: 400,
    title: 'A recipient is not a buyer with an accepted business relationship with the issuer.',
  },
  PDX_SUPERSEDED_UNKNOWN: {
    status: 400,
    title: 'The declaration supersedes a declaration this issuer never submitted.',
  },
  PDX_DECLARATION_CONFLICT: {
    status: 409,
    title: 'The issuer already submitted a different declaration under this declarationId.',
  },
  PDX_DECLARATION_NOT_FOUND: { status: 404, title: 'No declaration with this id is visible to the caller.' },
  PDX_SCHEME_UNKNOWN: { status: 400, title: 'The scheme is not in the scheme catalogue.' },
  PDX_CERTIFICATE_INVALID: {
    status: 400,
    title:
      'The certificate attestation or claim does not match its JSON Schema or its scheme (number format, validUntil, tier); see pointer.',
  },
  PDX_ISSUER_UNKNOWN: {
    status: 400,
    title: 'The issuer named by the attestation is not a party registered with the role issuer.',
  },
  PDX_ATTESTATION_NOT_BY_ISSUER: {
    status: 400,
    title: "The attestation is signed with a key that is not one of the named issuer's keys.",
  },
  PDX_ISSUER_SCHEME_MISMATCH: {
    status: 400,
    title: 'The issuer is not registered to attest certificates of this scheme.',
  },
  PDX_HOLDER_UNKNOWN: { status: 400, title: 'The certificate holder is not a registered party.' },
  PDX_CERTIFICATE_NUMBER_TAKEN: {
    status: 409,
    title: 'Another holder already has a certificate with this number in this scheme.',
  },
  PDX_ATTESTATION_STALE: {
    status: 409,
    title: 'An attestation of this certificate signed at the same time or later is already recorded.',
  },
  PDX_CERTIFICATE_ATTESTED: {
    status: 409,
    title: 'The certificate is attested by its issuer: the holder cannot replace it with a claim.',
  },
  PDX_CERTIFICATE_STATE_CONFLICT: {
    status: 409,
    title:
      'The certificate is not in a state that allows this (e.g. reinstating one that is not suspended; anything on a withdrawn one).',
  },
  PDX_NOT_CERTIFICATE_ISSUER: {
    status: 403,
    title: "Only the certificate's issuer may suspend, reinstate or withdraw an attested certificate.",
  },
  PDX_CERTIFICATE_NOT_FOUND: { status: 404, title: 'No certificate with this id is visible to the caller.' },
  PDX_PRECONDITION_FAILED: {
    status: 412,
    title:
      'If-Match names a version that is no longer current: read the resource again and reapply the change.',
  },
  PDX_WEBHOOK_URL_INVALID: {
    status: 400,
    title: 'The webhook URL is not an absolute http(s) URL without credentials.',
  },
  PDX_WEBHOOK_TARGET_FORBIDDEN: {
    status: 400,
    title:
      'The webhook URL points at a loopback, private or link-local address, or at a host not allowed by configuration.',
  },
  PDX_SUBSCRIPTION_NOT_FOUND: { status: 404, title: 'You have no alert subscription with this id.' },
  PDX_ALERT_NOT_FOUND: { status: 404, title: 'You have no alert with this id.' },
  PDX_DELIVERY_NOT_FOUND: { status: 404, title: 'You have no alert delivery with this id.' },
  PDX_PARTNER_NOT_LINKED: {
    status: 403,
    title: 'The partner has no accepted business relationship with you.',
  },
  PDX_REVIEW_DATE_INVALID: {
    status: 400,
    title: 'reviewedAt is in the future, or before the reviewed declaration was issued.',
  },
  PDX_REVIEW_CONFLICT: {
    status: 409,
    title: 'You already recorded a different review under this reviewId; reviews are never overwritten.',
  },
  PDX_INCIDENT_DATE_INVALID: { status: 400, title: 'occurredAt is in the future.' },
  PDX_INCIDENT_CONFLICT: {
    status: 409,
    title:
      'You already recorded a different incident under this incidentId; incidents are never overwritten.',
  },
  PDX_LEDGER_EMPTY: { status: 404, title: 'The ledger has issued no tree head yet.' },
  PDX_LEDGER_ENTRY_NOT_FOUND: {
    status: 404,
    title: 'The ledger has no entry at this position or with this leaf hash.',
  },
  PDX_LEDGER_HEAD_NOT_FOUND: { status: 404, title: 'The ledger issued no tree head at this tree size.' },
  PDX_LEDGER_SIZE_INVALID: {
    status: 400,
    title:
      'The tree size is beyond the latest tree head, or the entry is not within it, or the first size is not between 1 and the second.',
  },
  PDX_PARTY_CONFLICT: { status: 409, title: 'The party id is already registered with different content.' },
  PDX_PARTY_NOT_FOUND: { status: 404, title: 'No party is registered under this id.' },
  PDX_URL_INVALID: { status: 400, title: 'The request URL is malformed (e.g. a bad percent-encoding).' },
  PDX_URL_TOO_LONG: { status: 414, title: 'A path segment of the URL is longer than any pdx identifier.' },
  PDX_ROUTE_NOT_FOUND: { status: 404, title: 'No such route.' },
  PDX_HTTP_MALFORMED: {
    status: 400,
    title:
      'The request is not well-formed HTTP/1.1 (request line, header syntax, message framing, or a missing Host).',
  },
  PDX_HEADERS_TOO_LARGE: {
    status: 431,
    title: 'The request line and headers together are larger than the server accepts.',
  },
  PDX_REQUEST_TIMEOUT: { status: 408, title: 'The request did not arrive completely in time.' },
  PDX_EXPECTATION_FAILED: {
    status: 417,
    title: 'The Expect header asks for something other than 100-continue.',
  },
  PDX_EVENT_LOG_UNAVAILABLE: retriable({
    status: 503,
    title:
      'The event log did not acknowledge in time; the change is kept and published when the log is back. Retrying the same request is safe.',
  }),
  PDX_STORE_DUPLICATE: {
    status: 409,
    title:
      'The change conflicts with a record stored under the same unique key: read the current state first.',
  },
  PDX_STORE_UNAVAILABLE: retriable({ status: 503, title: 'The database did not answer; retry later.' }),
  PDX_CHANGE_CONTENDED: retriable({
    status: 503,
    title: 'The record kept changing under concurrent requests; nothing was changed, send the request again.',
  }),
  PDX_UPSTREAM_UNAVAILABLE: retriable({
    status: 502,
    title:
      'The gateway could not reach the service that answers this path, or its answer broke off; retry later.',
  }),
  PDX_UPSTREAM_TIMEOUT: retriable({
    status: 504,
    title: 'The service that answers this path did not answer the gateway in time (PDX_GATEWAY_TIMEOUT_MS).',
  }),
  PDX_CONFIG_INVALID: {
    status: null,
    title:
      'A setting is missing or has a value pdx cannot use; the message names it, and the process does not start.',
  },
  PDX_RETRIES_EXHAUSTED: {
    status: null,
    title:
      "An operation failed on every attempt its retry policy allows; its cause holds each attempt's error.",
  },
  PDX_LEDGER_INTEGRITY: {
    status: null,
    title:
      'The stored ledger is not what it was (a changed, missing or inconsistent entry or node): appending stops.',
  },
  PDX_INTERNAL: { status: 500, title: 'An unexpected error; it is logged with its stack.' },
  PDX_EVENT_ENVELOPE_INVALID: {
    status: null,
    title: 'Dead letter: the message is not a valid CloudEvents 1.0 JSON envelope.',
  },
  PDX_EVENT_TYPE_UNKNOWN: {
    status: null,
    title: 'Dead letter: the event type is not in the pdx event catalog.',
  },
  PDX_EVENT_DATA_INVALID: {
    status: null,
    title: "Dead letter: the event's data does not match its JSON Schema.",
  },
  PDX_HANDLER_FAILED: {
    status: null,
    title: 'Dead letter: the consumer failed on the event after all its retries.',
  },
  // The command line (packages/cli): never HTTP answers; the exit code is 2 for usage, 1 otherwise.
  PDX_CLI_USAGE: {
    status: null,
    title:
      'pdx (the CLI): the command line is wrong (an unknown command or option, a missing or malformed argument); exit code 2.',
  },
  PDX_CLI_INPUT_INVALID: {
    status: null,
    title:
      'pdx (the CLI): a file it was given is missing, unreadable, or does not hold what the command needs; exit code 1.',
  },
  PDX_CLI_EXCHANGE_FAILED: {
    status: null,
    title:
      'pdx (the CLI): the exchange could not be reached, or answered with a problem, which is printed; exit code 1.',
  },
  PDX_CLI_VERIFICATION_FAILED: {
    status: null,
    title:
      'pdx (the CLI): an offline check failed (a signature, digest, inclusion or consistency proof); exit code 1.',
  },
  PDX_CLI_FAILED: {
    status: null,
    title:
      'pdx (the CLI): the command could not do what it was asked (e.g. it would replace a file); exit code 1.',
  },
} as const satisfies Record<string, { status: number | null; title: string }>;

export type ErrorCode = keyof typeof errorCatalog;

/** The catalog entry of a code, with every member of an entry (retriable included). */
export function catalogEntry(code: ErrorCode): ErrorCatalogEntry {
  return errorCatalog[code];
}

/** The RFC 9457 `type` of a problem: stable, derived from the code. */
export function problemType(code: ErrorCode): string {
  return `urn:pdx:problem:${code.replace(/^PDX_/, '').toLowerCase().replaceAll('_', '-')}`;
}

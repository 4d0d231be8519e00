import type { CertificateClaim, CertificateStatusChange, ClaimConfirmation } from '@pdx/contracts';
import { PdxError } from '@pdx/contracts';
import { changeErrorResponses, principalOf } from '@pdx/http';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { signedObjectProblems } from '../signed-object-problems.js';
import type { StatusAction } from './certificate-decisions.js';
import { toCertificateView } from './certificate-record.js';
import {
  type CertificateDeps,
  type CertificateOutcome,
  type CertificatePolicy,
  changeCertificateStatus,
  confirmClaim,
  submitAttestation,
  submitClaim,
} from './certificates.js';

const view = { $ref: 'urn:pdx:schema:api:certificate-view.v1' } as const;
const idParam = {
  type: 'object',
  required: ['certificateId'],
  properties: { certificateId: { $ref: 'urn:pdx:schema:common:certificate-id.v1' } },
} as const;
/** The compact JWS an issuer signed (`typ` `pdx-certificate+jws`), sent as it is. */
const attestationBody = {
  content: {
    'application/jose': {
      schema: { type: 'string', description: 'A compact JWS (RFC 7515 §7.1) of a certificate attestation.' },
    },
  },
} as const;
const validity = ['PDX_VALIDITY_EXPIRED', 'PDX_VALIDITY_INVERTED', 'PDX_VALIDITY_TOO_FAR_AHEAD'] as const;
const stateChange = changeErrorResponses(
  'PDX_CERTIFICATE_NOT_FOUND',
  'PDX_NOT_CERTIFICATE_ISSUER',
  'PDX_ROLE_REQUIRED',
  'PDX_CERTIFICATE_STATE_CONFLICT',
);
/** An attestation JWS is small; this bounds what is parsed before authentication allows more. */
const MAX_ATTESTATION_BYTES = 64 * 1024;

export interface CertificateRouteOptions extends CertificatePolicy {}

/**
 * Certificates and approvals: issuers' attestations (application/jose), holders' claims,
 * issuers' suspensions, reinstatements and withdrawals, buyers' confirmations of claims.
 * Each change answers once its event is durably in the log.
 */
export function certificateRoutes(
  deps: CertificateDeps,
  options: CertificateRouteOptions,
): FastifyPluginAsync {
  const send = (reply: FastifyReply, outcome: CertificateOutcome) =>
    reply
      .code(outcome.kind === 'created' ? 201 : 200)
      .header('location', `/v1/certificates/${outcome.record.id}`)
      .send(toCertificateView(outcome.record.certificate, deps.clock.now()));
  return async (app) => {
    app.addContentTypeParser(
      'application/jose',
      { parseAs: 'string', bodyLimit: MAX_ATTESTATION_BYTES },
      (_req, body, done) => {
        done(null, body);
      },
    );
    app.post<{ Body: string }>(
      '/v1/certificates/attestations',
      {
        bodyLimit: MAX_ATTESTATION_BYTES,
        config: { bodyLimitSetting: null, access: 'authenticated' },
        schema: {
          body: attestationBody,
          response: {
            200: view,
            201: view,
            ...changeErrorResponses(
              ...signedObjectProblems,
              'PDX_CERTIFICATE_INVALID',
              'PDX_SCHEME_UNKNOWN',
              'PDX_ISSUER_UNKNOWN',
              'PDX_ATTESTATION_NOT_BY_ISSUER',
              'PDX_ISSUER_SCHEME_MISMATCH',
              'PDX_HOLDER_UNKNOWN',
              'PDX_ROLE_REQUIRED',
              'PDX_FORBIDDEN',
              'PDX_CERTIFICATE_NUMBER_TAKEN',
              'PDX_ATTESTATION_STALE',
              // A renewal of a withdrawn certificate.
              'PDX_CERTIFICATE_STATE_CONFLICT',
              ...validity,
            ),
          },
        },
      },
      async (request, reply) => {
        if (typeof request.body !== 'string') {
          throw new PdxError(
            'PDX_MEDIA_TYPE_UNSUPPORTED',
            'send the attestation as a compact JWS with Content-Type: application/jose',
          );
        }
        return send(reply, await submitAttestation(deps, principalOf(request), request.body.trim(), options));
      },
    );
    app.post<{ Body: CertificateClaim }>(
      '/v1/certificates/claims',
      {
        schema: {
          body: { $ref: 'urn:pdx:schema:api:certificate-claim.v1' },
          response: {
            200: view,
            201: view,
            ...changeErrorResponses(
              'PDX_CERTIFICATE_INVALID',
              'PDX_SCHEME_UNKNOWN',
              'PDX_ROLE_REQUIRED',
              'PDX_CERTIFICATE_NUMBER_TAKEN',
              'PDX_CERTIFICATE_ATTESTED',
              'PDX_CERTIFICATE_STATE_CONFLICT',
              ...validity,
            ),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request, reply) =>
        send(reply, await submitClaim(deps, principalOf(request), request.body, options)),
    );
    const statusRoute = (segment: string, action: StatusAction) =>
      app.post<{ Params: { certificateId: string }; Body: CertificateStatusChange }>(
        `/v1/certificates/:certificateId/${segment}`,
        {
          schema: {
            params: idParam,
            body: { $ref: 'urn:pdx:schema:api:certificate-status-change.v1' },
            response: { 200: view, ...stateChange },
          },
          config: { access: 'authenticated' },
        },
        async (request, reply) =>
          send(
            reply,
            await changeCertificateStatus(
              deps,
              principalOf(request),
              request.params.certificateId,
              action,
              request.body.reason,
            ),
          ),
      );
    statusRoute('suspension', 'suspend');
    statusRoute('reinstatement', 'reinstate');
    statusRoute('withdrawal', 'withdraw');
    app.post<{ Params: { certificateId: string }; Body: ClaimConfirmation }>(
      '/v1/certificates/:certificateId/confirmations',
      {
        schema: {
          params: idParam,
          body: { $ref: 'urn:pdx:schema:api:claim-confirmation.v1' },
          response: {
            200: view,
            ...changeErrorResponses(
              'PDX_CERTIFICATE_NOT_FOUND',
              'PDX_ROLE_REQUIRED',
              'PDX_PARTNER_NOT_LINKED',
              'PDX_FORBIDDEN',
              'PDX_CERTIFICATE_STATE_CONFLICT',
            ),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request, reply) =>
        send(
          reply,
          await confirmClaim(deps, principalOf(request), request.params.certificateId, request.body),
        ),
    );
  };
}

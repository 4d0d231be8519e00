import { PdxError } from '@pdx/contracts';
import { decodeCompactJws, refuse, verifyDeclaration } from '@pdx/crypto';
import { changeErrorResponses, principalOf, requireRole } from '@pdx/http';
import type { FastifyPluginAsync } from 'fastify';
import { signedObjectProblems } from '../signed-object-problems.js';
import { type DeclarationDeps, submitDeclaration } from './submit-declaration.js';

export interface DeclarationRouteOptions {
  maxBytes: number;
  maxAheadDays: number;
  skewSeconds: number;
}

/**
 * Another party's declaration can only fail the signature check (it is signed with the other
 * party's key), which hides the real mistake: submitting it at all. So the issuer the payload
 * states is compared with the caller before the signature is checked; the refusal reveals
 * nothing the submitter did not send. An unreadable JWS is left to the verification's own steps.
 */
function checkStatedIssuer(jws: string, caller: string): void {
  let stated: unknown;
  try {
    stated = (JSON.parse(decodeCompactJws(jws).payload.toString('utf8')) as { issuer?: unknown } | null)
      ?.issuer;
  } catch {
    return;
  }
  if (typeof stated !== 'string' || stated === caller) return;
  refuse(
    [],
    {
      check: 'issuer',
      status: 'INVALID',
      code: 'PDX_ISSUER_MISMATCH',
      detail: `the declaration is issued by ${stated}, and you are authenticated as ${caller}: a party submits only its own declarations, signed with its own key`,
    },
    [{ pointer: '/issuer', detail: `must be the submitting party, ${caller}` }],
  );
}

/**
 * POST /v1/declarations — a partner submits a Declaration of Security as a compact JWS
 * (Content-Type: application/jose). 202 once declaration.submitted.v1 is durably in the log,
 * with the verification report; a refusal is a problem+json that carries the report too.
 */
export function declarationRoutes(
  deps: DeclarationDeps,
  options: DeclarationRouteOptions,
): FastifyPluginAsync {
  return async (app) => {
    app.addContentTypeParser(
      'application/jose',
      { parseAs: 'string', bodyLimit: options.maxBytes },
      (_req, body, done) => {
        done(null, body);
      },
    );
    app.post<{ Body: string }>(
      '/v1/declarations',
      {
        bodyLimit: options.maxBytes,
        // A 413 names the setting that raises this route's limit.
        config: { bodyLimitSetting: 'PDX_DECLARATION_MAX_BYTES', access: 'authenticated' },
        schema: {
          body: {
            content: {
              'application/jose': {
                schema: {
                  type: 'string',
                  description:
                    'A compact JWS (RFC 7515 §7.1) of a Declaration of Security, `typ` `pdx-declaration+jws`.',
                },
              },
            },
          },
          response: {
            200: {
              description: 'The same declaration was already accepted: nothing changed.',
              $ref: 'urn:pdx:schema:api:declaration-receipt.v1',
            },
            202: {
              description: 'Accepted: durably in the event log, with the verification report.',
              $ref: 'urn:pdx:schema:api:declaration-receipt.v1',
            },
            ...changeErrorResponses(
              ...signedObjectProblems,
              'PDX_ROLE_REQUIRED',
              'PDX_ISSUER_MISMATCH',
              'PDX_DECLARATION_INVALID',
              'PDX_VALIDITY_EXPIRED',
              'PDX_VALIDITY_INVERTED',
              'PDX_VALIDITY_TOO_FAR_AHEAD',
              'PDX_RECIPIENT_UNKNOWN',
              'PDX_RECIPIENT_NOT_LINKED',
              'PDX_SUPERSEDED_UNKNOWN',
              'PDX_DECLARATION_CONFLICT',
            ),
          },
        },
      },
      async (request, reply) => {
        if (typeof request.body !== 'string') {
          throw new PdxError(
            'PDX_MEDIA_TYPE_UNSUPPORTED',
            'send the compact JWS as Content-Type: application/jose',
          );
        }
        // Declarations are submitted by the issuing party itself.
        const partyId = requireRole(principalOf(request), 'submitting a declaration');
        const jws = request.body.trim();
        checkStatedIssuer(jws, partyId);
        // The keys as they are now: the access token names the party, not its keys.
        const keys = (await deps.parties.get(partyId))?.keys ?? [];
        const verified = await verifyDeclaration(jws, { partyId, keys }, deps.registry, {
          now: deps.clock.now(),
          maxAheadMs: options.maxAheadDays * 86_400_000,
          skewMs: options.skewSeconds * 1000,
        });
        const outcome = await submitDeclaration(deps, verified, keys);
        return reply
          .code(outcome.kind === 'accepted' ? 202 : 200)
          .header(
            'location',
            `/v1/declarations/${outcome.issuer}/${encodeURIComponent(outcome.declarationId)}`,
          )
          .send({
            declarationId: outcome.declarationId,
            issuer: outcome.issuer,
            state: outcome.kind === 'accepted' ? 'accepted' : 'unchanged',
            verification: outcome.report,
          });
      },
    );
  };
}

import type { ExchangeSigner } from '@pdx/crypto';
import {
  authenticateTokenRequest,
  authorizationServerMetadata,
  type ClientDirectory,
  issueAccessToken,
  METADATA_PATH,
  oauthError,
  type ReplayGuard,
  sendProblem,
  TOKEN_PATH,
  tokenEndpointSchemas,
  toProblem,
} from '@pdx/http';
import type { Clock } from '@pdx/runtime';
import type { FastifyPluginAsync, FastifySchema } from 'fastify';

export interface TokenRouteDeps {
  clients: ClientDirectory;
  replay: ReplayGuard;
  signer: ExchangeSigner;
  clock: Clock;
  issuer(): string;
  audience: string;
  clockSkewSeconds: number;
  /** Lifetime of the access tokens issued. */
  ttlSeconds: number;
}

const FORM = 'application/x-www-form-urlencoded';

/**
 * POST /oauth/token — the client credentials grant with `private_key_jwt` (RFC 6749 §4.4,
 * RFC 7523): a party or operator proves itself with a client assertion signed by one of its
 * registered keys and gets an access token (RFC 9068) every service accepts until it expires.
 * Refusals follow RFC 6749 §5.2 (JSON `error`, `error_description`, and pdx's `code`).
 * GET /.well-known/oauth-authorization-server — the metadata (RFC 8414).
 */
export function tokenRoutes(deps: TokenRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.addContentTypeParser(FORM, { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => {
      done(null, new URLSearchParams(body as string));
    });
    app.post<{ Body: unknown }>(
      TOKEN_PATH,
      {
        config: { access: 'public' },
        bodyLimit: 16 * 1024,
        // The form body is parsed here (repeated parameters refused), so the schema only documents it.
        schema: {
          summary: 'An access token: OAuth 2.0 client credentials with a private_key_jwt client assertion',
          'x-form-body': tokenEndpointSchemas.request,
          response: {
            200: tokenEndpointSchemas.token,
            400: tokenEndpointSchemas.error(
              'invalid_request, unsupported_grant_type or invalid_scope (RFC 6749 §5.2).',
            ),
            401: tokenEndpointSchemas.error(
              'invalid_client: the client assertion or its key is not accepted.',
            ),
          },
        } as FastifySchema,
        errorHandler: (error, request, reply) => {
          const refused = oauthError(error);
          if (!refused) {
            const body = toProblem(error, request);
            if (body.status >= 500) request.log.error({ err: error }, 'token request failed');
            return sendProblem(reply, body);
          }
          request.log.info({ code: refused.body.code }, 'token request refused');
          return reply
            .code(refused.status)
            .header('cache-control', 'no-store')
            .header('pragma', 'no-cache')
            .send(refused.body);
        },
      },
      async (request, reply) => {
        if (!(request.body instanceof URLSearchParams)) {
          return reply
            .code(400)
            .header('cache-control', 'no-store')
            .send({
              error: 'invalid_request',
              error_description: `send the parameters form-encoded (Content-Type: ${FORM})`,
              code: 'PDX_OAUTH_REQUEST_INVALID',
            });
        }
        const issuer = deps.issuer();
        const { principal, scope } = await authenticateTokenRequest(request.body, {
          issuer,
          clients: deps.clients,
          replay: deps.replay,
          clock: deps.clock,
          clockSkewSeconds: deps.clockSkewSeconds,
        });
        const accessToken = await issueAccessToken(deps.signer, {
          issuer,
          audience: deps.audience,
          principal,
          now: deps.clock.now(),
          ttlSeconds: deps.ttlSeconds,
          scope,
        });
        return reply
          .header('cache-control', 'no-store')
          .header('pragma', 'no-cache')
          .send({
            access_token: accessToken,
            token_type: 'Bearer',
            expires_in: deps.ttlSeconds,
            ...(scope ? { scope } : {}),
          });
      },
    );
    app.get(
      METADATA_PATH,
      {
        config: { access: 'public' },
        schema: {
          summary: 'The OAuth 2.0 authorization server metadata (RFC 8414)',
          response: { 200: tokenEndpointSchemas.metadata },
        },
      },
      async (_request, reply) =>
        reply.header('cache-control', 'public, max-age=300').send(authorizationServerMetadata(deps.issuer())),
    );
  };
}

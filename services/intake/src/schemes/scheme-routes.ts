import type { Catalogues } from '@pdx/schemes';
import type { FastifyPluginAsync } from 'fastify';

/**
 * GET /v1/schemes — the scheme catalogue the exchange decides with (public, read-only): what
 * each scheme can ground under ISO 28001 (4.3 for the functions named, 4.4(a), 4.4(c)), the
 * schemes that are only evidence for a review (ISO 28000, TAPA), and the sources. A buyer
 * writes its recognition policy from it; anyone can see what a decision was made with.
 */
export function schemeRoutes(catalogues: Catalogues): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/v1/schemes',
      {
        schema: {
          response: { 200: { $ref: 'urn:pdx:schema:data:scheme-catalogue.v1' } },
        },
        config: { access: 'public' },
      },
      // The catalogue ships with the release: it changes only with a new version.
      async (_request, reply) =>
        reply.header('cache-control', 'public, max-age=300').send(catalogues.schemes),
    );
  };
}

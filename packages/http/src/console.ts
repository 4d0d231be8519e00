import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { Logger } from '@pdx/runtime';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PUBLIC } from './openapi.js';

/**
 * The Content-Security-Policy of the console's documents: everything from this origin only,
 * no inline script or style, no plugins, no framing, and API calls to this origin only.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers of every console file. */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

/**
 * A path the console's own router handles (`/`, `/partners`, `/sign-in`): lower-case words,
 * digits and hyphens between slashes, and nothing the API owns. Any other unknown path stays
 * a 404 problem, so a mistyped API call is never answered with the console's page.
 */
export function isClientRoute(path: string): boolean {
  if (!/^\/([a-z0-9-]+(\/[a-z0-9-]+)*)?\/?$/.test(path)) return false;
  const first = path.split('/')[1] ?? '';
  return !['v1', 'oauth', 'docs', 'healthz', 'readyz', 'metrics'].includes(first);
}

/**
 * Serves the console (the Vite build in `root`) at `/`: its files with the headers above
 * (hashed assets cached for a year, the page itself never), and its page for every client
 * route a browser asks HTML for (SPA fallback). Public, and left out of the OpenAPI document. Without a build in
 * `root` it warns and serves nothing.
 */
export function registerConsole(app: FastifyInstance, options: { root: string; logger: Logger }): void {
  const index = join(options.root, 'index.html');
  if (!existsSync(index)) {
    options.logger.warn(
      { root: options.root },
      'no console build: GET / answers 404 (run `npm run build`, which builds services/console)',
    );
    return;
  }
  void app.register(async (scope) => {
    await scope.register(fastifyStatic, {
      root: options.root,
      serve: false,
      index: false,
      dotfiles: 'deny',
      // Hashed assets never change under their name; the page is asked for afresh each time.
      cacheControl: false,
      setHeaders: (reply, path) => {
        reply.headers(CONSOLE_HEADERS);
        reply.header(
          'cache-control',
          path.startsWith(join(options.root, 'assets')) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
    // Public, and left out of the OpenAPI document: declared on each route, since the auth
    // plugin's check of every route runs before any hook of this scope would.
    const declared = { config: PUBLIC, schema: { hide: true } };
    const page = (_request: FastifyRequest, reply: FastifyReply) => reply.sendFile('index.html');
    scope.get('/', declared, page);
    scope.get('/assets/*', declared, (request, reply) => {
      const name = (request.params as { '*': string })['*'];
      if (!/^[A-Za-z0-9._-]+$/.test(name) || name.startsWith('.')) return reply.callNotFound();
      return reply.sendFile(join('assets', name));
    });
    scope.get('/*', declared, (request, reply) => {
      const path = request.url.split('?', 1)[0]!;
      // A browser opening a page asks for HTML; an API client asking for a path that does
      // not exist gets the 404 problem, whatever the path looks like.
      if (isClientRoute(path) && /\btext\/html\b/.test(request.headers.accept ?? ''))
        return page(request, reply);
      // The few files at the top of the build (the icon).
      const file = path.slice(1);
      if (/^[a-z0-9-]+\.(svg|ico|png|txt)$/.test(file) && existsSync(join(options.root, file)))
        return reply.sendFile(file);
      return reply.callNotFound();
    });
  });
}

/** The services the gateway sends requests to (certificates has no HTTP routes). */
export const upstreamServices = ['intake', 'directory', 'alerts', 'review', 'ledger'] as const;
export type UpstreamService = (typeof upstreamServices)[number];

/**
 * Path prefixes owned by one service whatever the method, matched whole segments at a time
 * (`/v1/alerts` is `/v1/alerts` and `/v1/alerts/…`, never `/v1/alertsx`).
 */
const ownedPrefixes: readonly (readonly [string, UpstreamService])[] = [
  ['/v1/alert-subscriptions', 'alerts'],
  ['/v1/alerts', 'alerts'],
  ['/v1/alert-deliveries', 'alerts'],
  ['/v1/partner-status', 'review'],
  ['/v1/statement-of-application', 'review'],
  ['/v1/review-tasks', 'review'],
  ['/v1/ledger', 'ledger'],
  ['/v1/recognition-policies', 'intake'],
  // The scheme catalogue: intake checks policies against it.
  ['/v1/schemes', 'intake'],
  // The OAuth 2.0 token endpoint and its RFC 8414 metadata: intake holds the parties' keys.
  ['/oauth', 'intake'],
  ['/.well-known/oauth-authorization-server', 'intake'],
  // The human API reference; the document itself (/openapi.json) is the gateway's own.
  ['/docs', 'intake'],
];

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/**
 * Pure: which service answers `method path` (the path without its query), or undefined when
 * none does (the gateway answers 404 itself). The rest of `/v1` is split by method: intake
 * records every change (POST, PUT, DELETE…), directory answers the reads (GET, HEAD) of what
 * intake recorded — the same split as the services' own route files.
 */
export function upstreamOf(method: string, path: string): UpstreamService | undefined {
  for (const [prefix, service] of ownedPrefixes) if (under(path, prefix)) return service;
  if (!under(path, '/v1')) return undefined;
  return method === 'GET' || method === 'HEAD' ? 'directory' : 'intake';
}

/** The path prefixes the gateway proxies (for registering its wildcard routes). */
export const proxiedPrefixes: readonly string[] = [
  '/v1',
  ...new Set(ownedPrefixes.map(([prefix]) => prefix).filter((p) => !under(p, '/v1'))),
];

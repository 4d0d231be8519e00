import { ConfigReader, type Env, RuntimeError } from '@pdx/runtime';
import { type UpstreamService, upstreamServices } from './upstream-routes.js';

export interface GatewayConfig {
  port: number;
  host: string;
  /** Each service's base URL (an origin: scheme, host, port). */
  upstreams: Record<UpstreamService, string>;
  /** How long a service has to start answering (and, but for the alert stream, between two parts of its answer). */
  timeoutMs: number;
  /** Largest request body passed on, in bytes (the services apply their own, smaller limits). */
  bodyLimit: number;
  /** How often the merged JWKS is fetched again from the services. */
  jwksRefreshMs: number;
  /** Where /metrics is served instead of the main port (PDX_METRICS_PORT), if set. */
  metricsPort?: number;
}

/** The variable naming a service's URL: PDX_INTAKE_URL, PDX_DIRECTORY_URL… */
export function upstreamVariable(service: UpstreamService): string {
  return `PDX_${service.toUpperCase()}_URL`;
}

/**
 * Reads the gateway's settings; every problem names its variable. Each service's URL is
 * required: a gateway that silently lacks one would answer its paths 502 for ever.
 */
export function readGatewayConfig(env: Env): GatewayConfig {
  const config = new ConfigReader(env);
  const upstreams = {} as Record<UpstreamService, string>;
  const missing = upstreamServices.filter((s) => config.optionalString(upstreamVariable(s)) === undefined);
  if (missing.length > 0) {
    throw new RuntimeError(
      'PDX_CONFIG_INVALID',
      `the gateway needs the URL of every service: set ${missing.map(upstreamVariable).join(', ')} (e.g. http://${missing[0]}:8080)`,
    );
  }
  for (const service of upstreamServices) upstreams[service] = upstreamOrigin(config, service);
  return {
    port: config.int('PORT', 8080, { min: 0, max: 65535 }),
    host: config.string('HOST', '127.0.0.1'),
    upstreams,
    timeoutMs: config.int('PDX_GATEWAY_TIMEOUT_MS', 30_000, { min: 100, max: 600_000 }),
    bodyLimit: config.int('PDX_GATEWAY_BODY_LIMIT', 1024 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
    jwksRefreshMs: config.int('PDX_GATEWAY_JWKS_REFRESH_MS', 60_000, { min: 1_000, max: 86_400_000 }),
    ...(config.optionalString('PDX_METRICS_PORT') === undefined
      ? {}
      : { metricsPort: config.int('PDX_METRICS_PORT', 0, { min: 0, max: 65535 }) }),
  };
}

function upstreamOrigin(config: ConfigReader, service: UpstreamService): string {
  const name = upstreamVariable(service);
  const raw = config.string(name);
  const refuse = (why: string): never => {
    throw new RuntimeError('PDX_CONFIG_INVALID', `${name} must be ${why}, got "${raw}"`);
  };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('an absolute URL such as http://intake:8080');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') refuse('an http:// or https:// URL');
  if (url.username || url.password) refuse('a URL without credentials');
  // The gateway keeps the client's path as it is: a path here would silently be dropped.
  if (url.pathname !== '/' || url.search || url.hash)
    refuse('the service origin only (no path, query or fragment)');
  return url.origin;
}

export { endToEndHeaders, upstreamRequestHeaders } from './forwarding-headers.js';
export { createGateway, type Gateway, type GatewayOptions } from './gateway.js';
export { type GatewayConfig, readGatewayConfig, upstreamVariable } from './gateway-config.js';
export { type JwksFetcher, MergedJwks, mergeJwks, parseJwks } from './jwks-merge.js';
export { type UpstreamService, upstreamOf, upstreamServices } from './upstream-routes.js';

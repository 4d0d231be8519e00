export { createMetricsRegistry, type MetricsRegistry } from '@pdx/runtime';
export {
  ACCESS_TOKEN_TYP,
  ACCESS_VALUES,
  type Access,
  type AccessTokenVerifier,
  type AccessTokenVerifierOptions,
  type AuthPluginOptions,
  accessTokenVerifier,
  assertOperator,
  assertSelfOrOperator,
  authPlugin,
  type Operator,
  type Principal,
  principalOf,
  type ReplayGuard,
  storeReplayGuard,
} from './auth.js';
export {
  type AccessTokenClaims,
  authenticateTokenRequest,
  authorizationServerMetadata,
  type ClientDirectory,
  issueAccessToken,
  METADATA_PATH,
  oauthError,
  TOKEN_PATH,
  type TokenRequestOptions,
  tokenEndpointSchemas,
} from './auth-oauth.js';
export { CONSOLE_CSP, CONSOLE_HEADERS, isClientRoute, registerConsole } from './console.js';
export { createHttpServer, type HttpServerOptions, type ReadinessCheck } from './http-server.js';
export {
  createMetricsServer,
  instrumentHttp,
  type MetricsServerOptions,
  serveMetrics,
  UNMATCHED_ROUTE,
} from './metrics.js';
export {
  type ApiInfo,
  CHANGE_ERROR_CODES,
  changeErrorResponses,
  errorResponses,
  finishDocument,
  isPublicRoute,
  openApiPath,
  operationIdOf,
  PUBLIC,
  problemCodesOf,
} from './openapi.js';
export { PROBLEM_CONTENT_TYPE, problem, problemResponses, sendProblem, toProblem } from './problem.js';
export { type PartyRole, requireRole, roleRequired } from './roles.js';

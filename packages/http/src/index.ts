export { createMetricsRegistry, type MetricsRegistry } from '@pdx/runtime';
export {
  type AuthOptions,
  assertOperator,
  assertSelfOrOperator,
  authenticate,
  type KeyDirectory,
  type Operator,
  type Principal,
  principalOf,
  type ReplayGuard,
  requireAuthentication,
  serviceAuthentication,
  storeReplayGuard,
} from './auth.js';
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
  errorResponses,
  finishDocument,
  isPublicRoute,
  openApiPath,
  operationIdOf,
  PUBLIC,
  problemCodesOf,
} from './openapi.js';
export { PROBLEM_CONTENT_TYPE, problem, problemResponses, sendProblem, toProblem } from './problem.js';

export { createHttpServer, type HttpServerOptions, type ReadinessCheck } from './http-server.js';
export { PROBLEM_CONTENT_TYPE, problem, sendProblem, toProblem } from './problem.js';

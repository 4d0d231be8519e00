import {
  type ErrorCode,
  errorCatalog,
  PdxError,
  type Problem,
  problemType,
  violationsOf,
} from '@pdx/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Builds the RFC 9457 body for a code. */
export function problem(
  code: ErrorCode,
  detail: string,
  extra: {
    instance?: string;
    pointer?: string | undefined;
    errors?: readonly { pointer: string; detail: string }[];
  } = {},
): Problem {
  const entry = errorCatalog[code];
  const body: Problem = {
    type: problemType(code),
    title: entry.title,
    status: entry.status ?? 500,
    detail,
    code,
  };
  if (extra.instance) body.instance = extra.instance;
  if (extra.pointer !== undefined) body.pointer = extra.pointer;
  if (extra.errors && extra.errors.length > 0) body.errors = [...extra.errors];
  return body;
}

/**
 * Maps any error to problem+json. Every PdxError (those of the store, the event log and the
 * runtime are subclasses) answers its code's status in the one catalog, with its public
 * detail: a refusal says exactly what is wrong, a store or log failure gives the catalog's
 * title rather than its operator message (collection, index, server address). Validation
 * errors are the client's too. Anything else, and a code that never reaches HTTP (status
 * null: a start-up or internal failure), is logged with its stack and masked as a 500, so no
 * internal detail leaks.
 */
export function toProblem(error: unknown, request: FastifyRequest): Problem {
  const instance = request.url;
  if (error instanceof PdxError && errorCatalog[error.code].status !== null) {
    return {
      ...error.extensions,
      ...problem(error.code, error.publicDetail, {
        instance,
        pointer: error.pointer,
        errors: error.violations,
      }),
    };
  }
  if (error instanceof PdxError) return internal(instance);
  const fe = error as FastifyError & { validationContext?: string };
  if (fe?.validation) {
    const prefix = fe.validationContext && fe.validationContext !== 'body' ? `${fe.validationContext} ` : '';
    const errors = violationsOf(fe.validation as never).map((v) => ({
      ...v,
      detail: `${prefix}${v.detail}`,
    }));
    const first = errors[0];
    return problem(
      'PDX_REQUEST_INVALID',
      first ? `${first.pointer || '/'} ${first.detail}` : 'invalid request',
      {
        instance,
        pointer: first?.pointer,
        errors,
      },
    );
  }
  switch (fe?.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(
        'PDX_MEDIA_TYPE_UNSUPPORTED',
        `unsupported content type ${String(request.headers['content-type'])}`,
        {
          instance,
        },
      );
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return problem('PDX_PAYLOAD_TOO_LARGE', bodyTooLarge(request), { instance });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return problem('PDX_URL_TOO_LONG', 'a path segment is longer than any pdx id', {
        instance: request.url.slice(0, 200),
      });
    case 'FST_ERR_BAD_URL':
    case 'FST_ERR_ASYNC_CONSTRAINT':
      return problem('PDX_URL_INVALID', `the URL cannot be read: ${fe.message}`, { instance });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem('PDX_REQUEST_MALFORMED', 'the body is empty', { instance, pointer: '' });
  }
  if (
    fe?.statusCode === 400 &&
    (fe instanceof SyntaxError || String(fe.code ?? '').startsWith('FST_ERR_CTP'))
  ) {
    return problem('PDX_REQUEST_MALFORMED', `the body is not valid JSON: ${fe.message}`, {
      instance,
      pointer: '',
    });
  }
  if (fe?.code === 'FST_ERR_ROUTE_MISSING_CONTENT_TYPE') {
    return problem('PDX_MEDIA_TYPE_UNSUPPORTED', `a ${request.method} request needs a Content-Type header`, {
      instance,
    });
  }
  // Any other refusal of fastify's with a client status is the client's error, never a 500.
  if (
    String(fe?.code ?? '').startsWith('FST_ERR') &&
    Number(fe?.statusCode) >= 400 &&
    Number(fe?.statusCode) < 500
  ) {
    return problem('PDX_REQUEST_MALFORMED', `the request cannot be read: ${fe?.message}`, { instance });
  }
  return internal(instance);
}

function internal(instance: string): Problem {
  return problem('PDX_INTERNAL', 'an unexpected error occurred; it has been logged', { instance });
}

/**
 * The limit a too-large body broke, and the setting that raises it: a route with its own limit
 * names its setting in `config.bodyLimitSetting` (null: a fixed limit); the others share
 * PDX_HTTP_BODY_LIMIT.
 */
function bodyTooLarge(request: FastifyRequest): string {
  const limit = request.routeOptions?.bodyLimit;
  const configured = (request.routeOptions?.config as { bodyLimitSetting?: string | null } | undefined)
    ?.bodyLimitSetting;
  const setting = configured === undefined ? 'PDX_HTTP_BODY_LIMIT' : configured;
  const by = setting === null ? 'fixed for this route' : `set by ${setting}`;
  if (typeof limit !== 'number') return `the request body is larger than the limit ${by}`;
  const kib = Number.isInteger(limit / 1024) ? `${limit / 1024}` : (limit / 1024).toFixed(1);
  return `the request body is larger than the limit of ${limit} bytes (${kib} KiB) ${by}`;
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/**
 * Every error status at once, as ranges (`4XX`, `5XX`) without the codes. Prefer
 * `errorResponses(...codes)`, which documents each status a route answers and its codes.
 */
export const problemResponses = {
  '4xx': { $ref: 'urn:pdx:schema:api:problem.v1' },
  '5xx': { $ref: 'urn:pdx:schema:api:problem.v1' },
} as const;

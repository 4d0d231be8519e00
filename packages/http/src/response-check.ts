import type { SchemaRegistry } from '@pdx/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problemCodesOf } from './openapi.js';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

/**
 * Response checks, for tests: fastify's serializer here is JSON.stringify, which validates
 * nothing, so a response can drift from the schema its route documents. With the checks on,
 * every answer of a route with a schema is compared with that schema — its status must be
 * documented, its content type too, a JSON body must match, a problem's code must be one the
 * response lists — and each mismatch is recorded for the test to fail on.
 */
let enabled = false;
const mismatches: string[] = [];

/** Turns the checks on for every server created from now on in this process. */
export function enableResponseChecks(): void {
  enabled = true;
}

export function responseChecksEnabled(): boolean {
  return enabled;
}

/** The mismatches recorded since the last call, which clears them. */
export function takeResponseMismatches(): string[] {
  return mismatches.splice(0);
}

const registered = new WeakMap<FastifyInstance, { method: string; url: string; hidden: boolean }[]>();

/** Records every route of a server as it is added (the document must describe each). */
export function recordRoutes(app: FastifyInstance): void {
  const routes: { method: string; url: string; hidden: boolean }[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (route) => {
    const hidden = Boolean((route.schema as { hide?: boolean } | undefined)?.hide);
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, hidden });
  });
}

/** The routes of a server created by createHttpServer: method, path, left out of the document. */
export function routesOf(app: FastifyInstance): readonly { method: string; url: string; hidden: boolean }[] {
  return registered.get(app) ?? [];
}

type ValidateFunction = ReturnType<SchemaRegistry['compile']>;
type Entry = Record<string, unknown> & { content?: Record<string, { schema?: object }> };

export function checkResponses(app: FastifyInstance, registry: SchemaRegistry): void {
  const compiled = new WeakMap<object, ValidateFunction>();
  const validatorOf = (schema: object) => {
    let fn = compiled.get(schema);
    if (!fn) {
      fn = registry.compile(withoutExtensions(schema) as object);
      compiled.set(schema, fn);
    }
    return fn;
  };
  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const schema = request.routeOptions.schema as
      | { response?: Record<string, Entry>; hide?: boolean }
      | undefined;
    if (!schema || schema.hide || !request.routeOptions.url) return payload;
    const problem = check(schema.response ?? {}, reply, payload, validatorOf);
    if (problem)
      mismatches.push(`${request.method} ${request.routeOptions.url} → ${reply.statusCode}: ${problem}`);
    return payload;
  });
}

function check(
  responses: Record<string, Entry>,
  reply: FastifyReply,
  payload: unknown,
  validatorOf: (schema: object) => ValidateFunction,
): string | undefined {
  const status = String(reply.statusCode);
  const entry = responses[status] ?? responses[`${status[0]}xx`] ?? responses.default;
  if (!entry) return `status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`;
  const contentType = String(reply.getHeader('content-type') ?? '')
    .split(';')[0]!
    .trim();
  if (payload === null || payload === undefined || payload === '') {
    return entry.type === 'null' || Object.keys(withoutAnnotations(entry)).length === 0
      ? undefined
      : 'the body is empty';
  }
  let schema: object | undefined;
  if (entry.content) {
    schema = entry.content[contentType]?.schema;
    if (!schema)
      return `content type ${contentType} is not documented (${Object.keys(entry.content).join(', ')})`;
  } else {
    if (contentType !== 'application/json') return `content type ${contentType}, documented application/json`;
    schema = entry;
  }
  if (!contentType.endsWith('json')) return undefined;
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload))
    return 'the body is a stream, documented JSON';
  let body: unknown;
  try {
    body = JSON.parse(payload.toString());
  } catch {
    return 'the body is not JSON';
  }
  const validate = validatorOf(schema);
  if (!validate(body)) {
    return `the body does not match its schema: ${JSON.stringify(validate.errors?.slice(0, 3))} in ${payload.toString().slice(0, 500)}`;
  }
  // The documented codes are those of the problem answer (another media type, such as the
  // token endpoint's OAuth errors, is judged by its schema alone).
  if (contentType !== PROBLEM_CONTENT_TYPE) return undefined;
  const codes = problemCodesOf(entry);
  const code = (body as { code?: unknown }).code;
  if (codes.length > 0 && !codes.includes(String(code))) {
    return `problem ${String(code)} is not among the documented ${codes.join(', ')}`;
  }
  return undefined;
}

function withoutAnnotations(entry: Entry): Record<string, unknown> {
  const { description: _d, ...rest } = entry;
  return rest;
}

function withoutExtensions(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutExtensions);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => !k.startsWith('x-'))
      .map(([k, v]) => [k, withoutExtensions(v)]),
  );
}

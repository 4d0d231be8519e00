import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { type ErrorCode, errorCatalog, problemType, type SchemaRegistry } from '@pdx/contracts';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { PROBLEM_CONTENT_TYPE } from './problem.js';

/** What the document says about the API itself (`info`). */
export interface ApiInfo {
  title: string;
  version: string;
  description?: string;
}

const PROBLEM_REF = 'urn:pdx:schema:api:problem.v1';
/** Where a problem response keeps the codes it can carry, until the document moves them. */
const PROBLEMS_KEY = 'x-pdx-problems';
const SECURITY_SCHEME = 'accessToken';

/** A route's options as onRoute sees them: what this module reads and completes. */
type Route = Pick<RouteOptions, 'method' | 'url' | 'schema' | 'config'> & {
  schema?: RouteOptions['schema'] & { hide?: boolean };
};

/** The route options' `config` of a route anyone may call. */
export const PUBLIC: { access: 'public' } = { access: 'public' };

/** Who may call a route: `config: { access: 'public' }` needs no token, anything else does. */
export function isPublicRoute(route: { config?: unknown }): boolean {
  return (route.config as { access?: unknown } | undefined)?.access === 'public';
}

/** The problem response carrying these codes (all of one status). */
function problemResponse(codes: readonly ErrorCode[]) {
  const sorted = [...new Set(codes)].sort();
  return {
    description: sorted.map((c) => `\`${c}\` (${problemType(c)}): ${errorCatalog[c].title}`).join('\n\n'),
    content: {
      [PROBLEM_CONTENT_TYPE]: { schema: { $ref: PROBLEM_REF, [PROBLEMS_KEY]: sorted } },
    },
  };
}

/**
 * The error responses of a route, one per status, each listing the problem codes it can
 * carry (from the one catalog): `response: { 200: view, ...errorResponses('PDX_PARTY_NOT_FOUND') }`.
 * What every route can answer (a bad request, no token, the database down) is added to every
 * route by the server itself; a route names only its own codes.
 */
export function errorResponses(...codes: ErrorCode[]): Record<string, ReturnType<typeof problemResponse>> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = errorCatalog[code].status;
    if (status === null) throw new TypeError(`${code} never reaches HTTP`);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries([...byStatus].map(([status, list]) => [String(status), problemResponse(list)]));
}

/**
 * What every change written through the store's change handler can answer besides its own
 * refusals: the event log did not acknowledge (the change is kept), a unique key is taken, or
 * the record kept changing under concurrent requests.
 */
export const CHANGE_ERROR_CODES = [
  'PDX_EVENT_LOG_UNAVAILABLE',
  'PDX_STORE_DUPLICATE',
  'PDX_CHANGE_CONTENDED',
] as const;

/** The error responses of a route that writes a change: {@link CHANGE_ERROR_CODES} and its own codes. */
export function changeErrorResponses(
  ...codes: ErrorCode[]
): Record<string, ReturnType<typeof problemResponse>> {
  return errorResponses(...CHANGE_ERROR_CODES, ...codes);
}

/** The codes a problem response entry carries (empty for anything else). */
export function problemCodesOf(entry: unknown): readonly string[] {
  const schema = (entry as { content?: Record<string, { schema?: Record<string, unknown> }> } | undefined)
    ?.content?.[PROBLEM_CONTENT_TYPE]?.schema;
  const codes = schema?.[PROBLEMS_KEY];
  return Array.isArray(codes) ? (codes as string[]) : [];
}

const AUTH_CODES = (Object.keys(errorCatalog) as ErrorCode[]).filter((c) => c.startsWith('PDX_AUTH_'));

/**
 * Completes a route's responses with what any route of this server can answer: 400 for a
 * request that fails its schema, 401 for a secured route without a valid token, 413/415 and
 * malformed JSON where there is a body, 414 for an overlong path segment, 500 and 503 (the
 * database). Run from onRoute, so the route's own schema (and so the document and the response
 * check) knows every status the route really returns.
 */
export function addCommonProblems(route: Route): void {
  const schema = route.schema;
  if (!schema || schema.hide) return;
  const codes: ErrorCode[] = ['PDX_INTERNAL', 'PDX_URL_INVALID'];
  const url = route.url;
  if (url.startsWith('/v1/')) codes.push('PDX_STORE_UNAVAILABLE');
  if (!isPublicRoute(route)) codes.push(...AUTH_CODES);
  if (schema.params || schema.querystring || schema.body || schema.headers) codes.push('PDX_REQUEST_INVALID');
  if (url.includes(':')) codes.push('PDX_URL_TOO_LONG');
  const methods = [route.method].flat();
  if (methods.some((m) => m === 'POST' || m === 'PUT')) {
    codes.push('PDX_PAYLOAD_TOO_LARGE', 'PDX_MEDIA_TYPE_UNSUPPORTED', 'PDX_REQUEST_MALFORMED');
  }
  const response = { ...((schema.response as Record<string, unknown> | undefined) ?? {}) };
  for (const [status, entry] of Object.entries(errorResponses(...codes))) {
    const existing = response[status] as
      | { description?: string; content?: Record<string, unknown> }
      | undefined;
    const own = problemCodesOf(existing) as ErrorCode[];
    const merged = problemResponse([...own, ...entry.content[PROBLEM_CONTENT_TYPE].schema[PROBLEMS_KEY]]);
    // A status that also answers in another media type (the token endpoint's OAuth errors) keeps it.
    const others = Object.entries(existing?.content ?? {}).filter(([type]) => type !== PROBLEM_CONTENT_TYPE);
    response[status] =
      others.length === 0
        ? merged
        : {
            description: `${existing?.description ?? ''}\n\n${merged.description}`.trim(),
            content: { ...Object.fromEntries(others), ...merged.content },
          };
  }
  schema.response = response;
}

/** `/v1/parties/:partyId/keys` → `/v1/parties/{partyId}/keys` */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * A stable, readable operationId from the method and path: `GET /v1/parties/:partyId` →
 * `getParty`, `POST /v1/parties/:partyId/keys/:kid/revocation` → `postPartyKeyRevocation`.
 * Collection reads end in `List`; well-known documents drop the dots.
 */
export function operationIdOf(method: string, url: string): string {
  const segments = url
    .split('/')
    .filter((s) => s !== '' && s !== 'v1')
    .map((s) => s.replace(/^\.well-known$/, 'wellKnown'));
  const words: string[] = [];
  segments.forEach((segment, i) => {
    if (segment.startsWith(':')) return;
    const next = segments[i + 1];
    const last = i === segments.length - 1;
    let word = segment.replace(/\.json$/, '');
    // A collection followed by an id names one member: parties/:partyId → party.
    if (next?.startsWith(':')) word = singular(word);
    else if (last && method === 'GET' && !isDocument(word)) word = `${word}List`;
    words.push(word);
  });
  const camel = words
    .flatMap((w) => w.split(/[-~]/))
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `${method.toLowerCase()}${camel}`;
}

function isDocument(word: string): boolean {
  return !/s$/.test(word) || /(status|jwks)$/.test(word);
}

function singular(word: string): string {
  if (/(status|jwks)$/.test(word)) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('ses')) return word.slice(0, -2);
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

/**
 * The OpenAPI 3.1 document of every route, generated from the route schemas by
 * @fastify/swagger, and the Swagger UI reference at /docs (bundled from npm: no other origin).
 * Call before any route is added: the document describes the routes registered after it.
 */
export function registerApiDocs(app: FastifyInstance, registry: SchemaRegistry, info: ApiInfo): void {
  app.addHook('onRoute', addCommonProblems);
  // The codes of each problem response, by operation and status: @fastify/swagger keeps no
  // extension of a response, so the document gets them from the routes themselves.
  const problems: ProblemCodes = new Map();
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
      info: {
        title: info.title,
        version: info.version,
        ...(info.description ? { description: info.description } : {}),
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      components: {
        securitySchemes: {
          [SECURITY_SCHEME]: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'JWT',
            description:
              'An access token (a JWT per RFC 9068, `typ` `at+jwt`) from the token endpoint `POST /oauth/token`: the OAuth 2.0 client credentials grant, the client authenticated by a `private_key_jwt` assertion (RFC 7523) signed with one of its registered keys.',
          },
        },
      },
    },
    hideUntagged: false,
    transform: ({ schema, url, route }) => {
      const own = (schema ?? {}) as Record<string, unknown>;
      if (own.hide) return { schema: own as never, url };
      const method = [route.method].flat()[0] as string;
      const responses = (own.response ?? {}) as Record<string, unknown>;
      problems.set(
        `${method.toLowerCase()} ${openApiPath(route.url)}`,
        new Map(Object.entries(responses).map(([status, entry]) => [status, problemCodesOf(entry)])),
      );
      // A form body the route parses itself (the token endpoint): documented, not validated by fastify.
      const formBody = own['x-form-body'];
      const { 'x-form-body': _form, ...rest } = own;
      return {
        url,
        schema: {
          ...rest,
          ...(formBody ? { body: formBody, consumes: ['application/x-www-form-urlencoded'] } : {}),
          operationId: own.operationId ?? operationIdOf(method, route.url),
          tags: own.tags ?? [tagOf(route.url)],
          security: isPublicRoute(route) ? [] : [{ [SECURITY_SCHEME]: [] }],
        } as never,
      };
    },
    transformObject: (documentObject) => {
      const document = (documentObject as { openapiObject: Record<string, unknown> }).openapiObject;
      return finishDocument(document, registry, problems) as never;
    },
  });

  // The reference page and its assets: public, and left out of the document.
  app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), ...PUBLIC } as never;
      route.schema = { ...route.schema, hide: true } as never;
    });
    await scope.register(swaggerUi, {
      routePrefix: '/docs',
      // No validator badge: it would send the document to another origin.
      validatorUrl: false,
      uiConfig: { deepLinking: true, defaultModelsExpandDepth: 0 },
    });
  });

  app.register(async (scope) => {
    scope.get(
      '/openapi.json',
      {
        config: PUBLIC,
        schema: {
          summary: 'This document: OpenAPI 3.1',
          operationId: 'getOpenApiDocument',
          tags: ['meta'],
          response: { 200: { type: 'object', required: ['openapi', 'info', 'paths'] } },
        },
      },
      async (_request, reply) => reply.header('cache-control', 'no-cache').send(app.swagger()),
    );
  });
}

function tagOf(url: string): string {
  const first = url.split('/').filter((s) => s !== '' && s !== 'v1')[0] ?? 'meta';
  return ['healthz', 'readyz', '.well-known', 'openapi.json'].includes(first) ? 'meta' : first;
}

/**
 * From what @fastify/swagger generated to a document that stands alone: every
 * `urn:pdx:schema:…` reference points into `components/schemas` (named by the schema's
 * title, its own `$defs` references rewritten too), the schemas referenced (and only those)
 * are there, and each problem response lists its codes (`x-pdx-problems`) on the response.
 */
export function finishDocument(
  document: Record<string, unknown>,
  registry: SchemaRegistry,
  problems: ProblemCodes = new Map(),
) {
  const byId = new Map(
    (registry.schemas() as { $id: string; title: string }[]).map((s) => [
      s.$id,
      s as Record<string, unknown>,
    ]),
  );
  const nameOf = (id: string) => {
    const schema = byId.get(id);
    if (!schema) throw new TypeError(`unresolved $ref ${id}`);
    return String(schema.title);
  };
  const used = new Set<string>();
  const rewrite = (node: unknown, base: string | undefined): unknown => {
    if (Array.isArray(node)) return node.map((n) => rewrite(n, base));
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$id' || key === '$schema') continue;
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#/components/')) {
        const [target = '', fragment = ''] = value.split('#');
        const id = target === '' ? base : target;
        if (!id) throw new TypeError(`local $ref ${value} outside a registered schema`);
        used.add(id);
        out.$ref = `#/components/schemas/${nameOf(id)}${fragment}`;
        continue;
      }
      out[key] = rewrite(value, base);
    }
    return out;
  };

  const paths = rewrite(document.paths, undefined) as Record<string, Record<string, Operation>>;
  for (const [path, item] of Object.entries(paths)) {
    for (const [method, operation] of Object.entries(item)) {
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const schema = response.content?.[PROBLEM_CONTENT_TYPE]?.schema as
          | Record<string, unknown>
          | undefined;
        if (schema) delete schema[PROBLEMS_KEY];
        const codes = problems.get(`${method} ${path}`)?.get(status.toLowerCase()) ?? [];
        if (codes.length > 0) {
          response[PROBLEMS_KEY] = codes.map((code) => ({ code, type: problemType(code as ErrorCode) }));
        }
      }
    }
  }
  // Components referenced from components, until nothing new is referenced.
  const components: Record<string, unknown> = {};
  const done = new Set<string>();
  while ([...used].some((id) => !done.has(id))) {
    for (const id of [...used].sort()) {
      if (done.has(id)) continue;
      done.add(id);
      components[nameOf(id)] = rewrite(byId.get(id), id);
    }
  }
  const existing = (document.components ?? {}) as Record<string, unknown>;
  const { schemas: _generated, ...rest } = existing;
  return {
    ...document,
    paths: sortKeys(paths),
    components: {
      ...rest,
      schemas: sortKeys(components),
    },
  };
}

/** `get /v1/parties/{partyId}` → status → the problem codes its response lists. */
type ProblemCodes = Map<string, Map<string, readonly string[]>>;

interface Operation {
  responses?: Record<string, Record<string, unknown> & { content?: Record<string, { schema?: unknown }> }>;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

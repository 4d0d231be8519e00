import { PdxError } from '@pdx/contracts';
import { errorResponses } from '@pdx/http';
import { consistencyProof, inclusionProof } from '@pdx/merkle';
import type { FastifyPluginAsync } from 'fastify';
import type { EntryDoc, HeadDoc } from './log/ledger-docs.js';
import { seqId } from './log/ledger-docs.js';
import { nodeReader } from './log/ledger-log.js';
import type { IntegrityReport } from './log/self-check.js';
import type { SequencerStore } from './log/sequencer.js';

export interface LedgerRouteDeps {
  store: SequencerStore;
  origin: string;
  verifierKey: string;
  publicJwk: object;
  integrity: () => IntegrityReport | undefined;
  /** Who may read (PDX_LEDGER_ACCESS): anyone, or any caller with an access token. */
  access: 'public' | 'authenticated';
}

const ref = (id: string) => ({ $ref: `urn:pdx:schema:api:${id}` }) as const;
/** A non-negative integer in a path or query string (at most 15 digits). */
const size = { type: 'string', pattern: '^(0|[1-9][0-9]{0,14})$' } as const;
const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
const b64hash = { type: 'string', pattern: '^[A-Za-z0-9+/]{43}=$' } as const;
const partyId = { $ref: 'urn:pdx:schema:common:party-id.v1' } as const;
const b64 = (h: Uint8Array) => Buffer.from(h).toString('base64');
const headView = ({ id: _id, ...view }: HeadDoc) => view;
const empty = errorResponses('PDX_LEDGER_EMPTY');
const integrityReport = {
  type: 'object',
  required: ['ok', 'checkedAt', 'entries', 'nodes', 'heads', 'problems'],
  additionalProperties: false,
  properties: {
    ok: { type: 'boolean' },
    checkedAt: { type: 'string', format: 'date-time' },
    entries: { type: 'integer', minimum: 0 },
    nodes: { type: 'integer', minimum: 0 },
    heads: { type: 'integer', minimum: 0 },
    problems: { type: 'array', maxItems: 20, items: { type: 'string' } },
  },
} as const;
const integrityPending = {
  type: 'object',
  required: ['ok', 'pending'],
  additionalProperties: false,
  properties: { ok: { type: 'null' }, pending: { const: true } },
} as const;

/**
 * The ledger, read-only: tree heads (JSON with a JWS, and C2SP checkpoints), entries by
 * position, buyer or partner, and RFC 9162 inclusion and consistency proofs.
 */
export function ledgerRoutes(deps: LedgerRouteDeps): FastifyPluginAsync {
  const { store } = deps;
  const read = nodeReader(store);
  const latest = async (): Promise<HeadDoc> => {
    const [head] = await store.heads.find({}, { sort: { field: 'id', order: -1 }, limit: 1 });
    if (!head) throw new PdxError('PDX_LEDGER_EMPTY', 'the ledger has issued no tree head yet');
    return head;
  };
  const within = async (treeSize: number | undefined, pointer: string): Promise<number> => {
    const head = await latest();
    const n = treeSize ?? head.treeSize;
    if (n > head.treeSize) {
      throw new PdxError(
        'PDX_LEDGER_SIZE_INVALID',
        `tree size ${n} is beyond the latest tree head (${head.treeSize})`,
        { pointer },
      );
    }
    return n;
  };
  return async (app) => {
    // PDX_LEDGER_ACCESS: public (anyone may verify) unless the operator asks for a token.
    const onRequest = { config: { access: deps.access } };
    app.get(
      '/v1/ledger',
      {
        schema: {
          summary: 'The ledger: origin, latest head, public keys, last self-check',
          response: {
            200: {
              type: 'object',
              required: ['origin', 'treeSize', 'publicKey', 'verifierKey', 'integrity'],
              additionalProperties: false,
              properties: {
                origin: { type: 'string' },
                treeSize: { type: 'integer', minimum: 0 },
                latestHead: ref('ledger-head.v1'),
                publicKey: { $ref: 'urn:pdx:schema:common:jwks.v1#/$defs/publicJwk' },
                verifierKey: { description: 'The C2SP signed-note verifier key.', type: 'string' },
                integrity: { oneOf: [integrityReport, { type: 'null' }] },
              },
            },
          },
        },
        ...onRequest,
      },
      async () => {
        const [head] = await store.heads.find({}, { sort: { field: 'id', order: -1 }, limit: 1 });
        return {
          origin: deps.origin,
          treeSize: head?.treeSize ?? 0,
          ...(head ? { latestHead: headView(head) } : {}),
          publicKey: deps.publicJwk,
          verifierKey: deps.verifierKey,
          integrity: deps.integrity() ?? null,
        };
      },
    );
    app.get(
      '/v1/ledger/heads/latest',
      { schema: { response: { 200: ref('ledger-head.v1'), ...empty } }, ...onRequest },
      async () => headView(await latest()),
    );
    app.get<{ Params: { treeSize: string } }>(
      '/v1/ledger/heads/:treeSize',
      {
        schema: {
          params: { type: 'object', required: ['treeSize'], properties: { treeSize: size } },
          response: { 200: ref('ledger-head.v1'), ...errorResponses('PDX_LEDGER_HEAD_NOT_FOUND') },
        },
        ...onRequest,
      },
      async (request) => {
        const treeSize = Number(request.params.treeSize);
        const [head] = await store.heads.find({ treeSize }, { sort: { field: 'id', order: 1 }, limit: 1 });
        if (!head) {
          throw new PdxError('PDX_LEDGER_HEAD_NOT_FOUND', `no tree head was issued at size ${treeSize}`, {
            pointer: '/treeSize',
          });
        }
        return headView(head);
      },
    );
    app.get(
      '/v1/ledger/checkpoint',
      {
        schema: {
          response: {
            200: {
              description: 'The latest tree head as a C2SP checkpoint (signed note).',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
            ...empty,
          },
        },
        ...onRequest,
      },
      async (_request, reply) => reply.type('text/plain; charset=utf-8').send((await latest()).checkpoint),
    );
    app.get<{ Params: { seq: string } }>(
      '/v1/ledger/entries/:seq',
      {
        schema: {
          params: { type: 'object', required: ['seq'], properties: { seq: size } },
          response: { 200: ref('ledger-entry.v1'), ...errorResponses('PDX_LEDGER_ENTRY_NOT_FOUND') },
        },
        ...onRequest,
      },
      async (request) => {
        const doc = await store.entries.get(seqId(Number(request.params.seq)));
        if (!doc) {
          throw new PdxError('PDX_LEDGER_ENTRY_NOT_FOUND', `no entry ${request.params.seq}`, {
            pointer: '/seq',
          });
        }
        return { seq: doc.seq, entry: doc.entry, leafHash: doc.leafHash };
      },
    );
    app.get<{ Querystring: { buyerId?: string; partnerId?: string; after?: string; limit?: string } }>(
      '/v1/ledger/entries',
      {
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              buyerId: partyId,
              partnerId: partyId,
              after: size,
              limit: { type: 'string', pattern: '^([1-9][0-9]{0,2}|1000)$' },
            },
          },
          response: { 200: ref('ledger-entries.v1') },
        },
        ...onRequest,
      },
      async (request) => {
        const { buyerId, partnerId } = request.query;
        const after = num(request.query.after) ?? -1;
        const limit = num(request.query.limit) ?? 100;
        let docs: EntryDoc[];
        if (buyerId !== undefined || partnerId !== undefined) {
          const filter = {
            ...(buyerId === undefined ? {} : { buyerId }),
            ...(partnerId === undefined ? {} : { partnerId }),
          };
          docs = (await store.entries.find(filter, { sort: { field: 'seq', order: 1 } }))
            .filter((d) => d.seq > after)
            .slice(0, limit);
        } else {
          docs = (
            await Promise.all(
              Array.from({ length: limit }, (_, i) => store.entries.get(seqId(after + 1 + i))),
            )
          ).filter((d) => d !== undefined);
        }
        const entries = docs.map((d) => ({ seq: d.seq, entry: d.entry, leafHash: d.leafHash }));
        return { entries, ...(entries.length === limit ? { next: entries.at(-1)!.seq } : {}) };
      },
    );
    app.get<{ Querystring: { seq?: string; leafHash?: string; treeSize?: string } }>(
      '/v1/ledger/proofs/inclusion',
      {
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { seq: size, leafHash: b64hash, treeSize: size },
          },
          response: {
            200: ref('ledger-inclusion-proof.v1'),
            ...errorResponses('PDX_LEDGER_EMPTY', 'PDX_LEDGER_ENTRY_NOT_FOUND', 'PDX_LEDGER_SIZE_INVALID'),
          },
        },
        ...onRequest,
      },
      async (request) => {
        const { leafHash } = request.query;
        const seq = num(request.query.seq);
        if ((seq === undefined) === (leafHash === undefined)) {
          throw new PdxError('PDX_REQUEST_INVALID', 'give either seq or leafHash', { pointer: '/seq' });
        }
        const doc =
          seq !== undefined
            ? await store.entries.get(seqId(seq))
            : (
                await store.entries.find(
                  { leafHash: leafHash! },
                  { sort: { field: 'seq', order: 1 }, limit: 1 },
                )
              )[0];
        if (!doc) {
          throw new PdxError('PDX_LEDGER_ENTRY_NOT_FOUND', 'no such entry', {
            pointer: seq !== undefined ? '/seq' : '/leafHash',
          });
        }
        const treeSize = await within(num(request.query.treeSize), '/treeSize');
        if (doc.seq >= treeSize) {
          throw new PdxError(
            'PDX_LEDGER_SIZE_INVALID',
            `entry ${doc.seq} is not within the tree of ${treeSize} entries`,
            { pointer: '/treeSize' },
          );
        }
        const proof = await inclusionProof(read, doc.seq, treeSize);
        return { seq: doc.seq, treeSize, leafHash: doc.leafHash, proof: proof.map(b64) };
      },
    );
    app.get<{ Querystring: { first: string; second?: string } }>(
      '/v1/ledger/proofs/consistency',
      {
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            required: ['first'],
            properties: { first: size, second: size },
          },
          response: {
            200: ref('ledger-consistency-proof.v1'),
            ...errorResponses('PDX_LEDGER_EMPTY', 'PDX_LEDGER_SIZE_INVALID'),
          },
        },
        ...onRequest,
      },
      async (request) => {
        const first = Number(request.query.first);
        const second = await within(num(request.query.second), '/second');
        if (first < 1 || first > second) {
          throw new PdxError('PDX_LEDGER_SIZE_INVALID', `first must be between 1 and ${second}`, {
            pointer: '/first',
          });
        }
        return { first, second, proof: (await consistencyProof(read, first, second)).map(b64) };
      },
    );
    app.get(
      '/v1/ledger/integrity',
      {
        schema: {
          response: {
            200: {
              description: 'The last self-check, or `pending` before the first one ends.',
              oneOf: [integrityReport, integrityPending],
            },
          },
        },
        ...onRequest,
      },
      async () => deps.integrity() ?? { ok: null, pending: true },
    );
  };
}

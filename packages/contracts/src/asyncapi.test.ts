import { readFileSync } from 'node:fs';
import { Parser } from '@asyncapi/parser';
import { describe, expect, it } from 'vitest';
import { eventCatalog, topics } from './event-catalog.js';
import { allSchemas } from './generated/schemas.js';

const document = readFileSync(new URL('../../../schemas/asyncapi.yaml', import.meta.url), 'utf8');
const byId = new Map<string, object>(allSchemas.map((s) => [s.$id, s]));

// The data schemas are referenced by their `urn:pdx:schema:…` ids; resolve those from the
// registered schemas (with their own ids dropped, as the parser resolves relative to files).
function resolveUrn(uri: string): string {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(
      Object.entries(node)
        .filter(([k]) => k !== '$id' && k !== '$schema')
        .map(([k, v]) => [k, strip(v)]),
    );
  };
  const schema = byId.get(uri);
  if (!schema) throw new Error(`AsyncAPI references an unknown schema ${uri}`);
  return JSON.stringify(strip(schema));
}

describe('AsyncAPI document (schemas/asyncapi.yaml)', () => {
  it('is a valid AsyncAPI 3 document listing every topic and event type', async () => {
    const parser = new Parser({
      __unstable: {
        resolver: {
          resolvers: [
            {
              schema: 'urn',
              canRead: true,
              read: (uri: { toString(): string }) => resolveUrn(uri.toString()),
            },
          ],
        },
      },
    });
    const { document: doc, diagnostics } = await parser.parse(document);
    const errors = diagnostics.filter((d) => d.severity === 0);
    expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
    expect(doc).toBeDefined();

    const addresses = doc!
      .channels()
      .all()
      .map((c) => c.address());
    expect(new Set(addresses)).toEqual(new Set(Object.values(topics)));

    const messageNames = doc!
      .allMessages()
      .all()
      .map((m) => m.name());
    for (const [type, entry] of Object.entries(eventCatalog)) {
      expect(messageNames, `message ${type}`).toContain(type);
      const channel = doc!
        .channels()
        .all()
        .find((c) =>
          c
            .messages()
            .all()
            .some((m) => m.name() === type),
        );
      expect(channel?.address(), `topic of ${type}`).toBe(entry.topic);
    }
    // The AsyncAPI parser takes seconds on a busy machine.
  }, 60_000);
});

import type { PublicJwk, SchemaRegistry } from '@pdx/contracts';
import { describeError, type Logger } from '@pdx/runtime';

/** Where one upstream publishes the keys it signs with. */
export interface JwksSource {
  name: string;
  url: string;
}

/**
 * What fetching one JWKS gave: its keys; `none` when the service publishes no JWKS (it signs
 * nothing: a 404); or an error (down, timed out, not a JWKS), when what was known stays.
 */
export type JwksFetchResult = { keys: readonly PublicJwk[] } | 'none';

/** Fetches one upstream's JWKS; throws when it cannot be had. */
export type JwksFetcher = (url: string) => Promise<JwksFetchResult>;

// Members only a private (or symmetric) JWK has (RFC 7518 §6.2.2, §6.3.2, §6.4.1; RFC 8037 §2).
const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * Pure: the keys of several services' JWKS as one set, each `kid` once, in the order of the
 * sources. The exchange key is published by several services (alerts, review, intake): the
 * same key twice is one key. Two different keys under one kid would make a verifier pick one
 * at random, so the first source's key is kept and the conflict reported.
 */
export function mergeJwks(sets: readonly { name: string; keys: readonly PublicJwk[] }[]): {
  keys: PublicJwk[];
  conflicts: string[];
} {
  const byKid = new Map<string, { key: PublicJwk; from: string; text: string }>();
  const conflicts: string[] = [];
  for (const { name, keys } of sets) {
    for (const key of keys) {
      const text = canonicalKey(key);
      const seen = byKid.get(key.kid);
      if (!seen) byKid.set(key.kid, { key, from: name, text });
      else if (seen.text !== text)
        conflicts.push(
          `kid ${key.kid}: ${name} publishes another key than ${seen.from}; ${seen.from}'s is kept`,
        );
    }
  }
  return { keys: [...byKid.values()].map((e) => e.key), conflicts };
}

function canonicalKey(key: PublicJwk): string {
  const record = key as unknown as Record<string, unknown>;
  return JSON.stringify(
    Object.keys(record)
      .sort()
      .map((k) => [k, record[k]]),
  );
}

/**
 * Checks what an upstream answered before it is republished under the exchange's name: a
 * JWKS of the pdx schema, and never a private key member (a misconfigured service must not
 * get its secret published by the gateway).
 */
export function parseJwks(body: unknown, registry: SchemaRegistry): readonly PublicJwk[] {
  const keys = (body as { keys?: unknown })?.keys;
  if (Array.isArray(keys)) {
    for (const [i, key] of keys.entries()) {
      const member = privateMembers.find((m) => Object.hasOwn(Object(key), m));
      if (member) throw new Error(`key ${i} carries the private member "${member}"`);
    }
  }
  const violations = registry.check('urn:pdx:schema:common:jwks.v1', body);
  if (violations.length > 0) {
    throw new Error(`not a JWKS: ${violations.map((v) => `${v.pointer || '/'} ${v.detail}`).join('; ')}`);
  }
  return (body as { keys: PublicJwk[] }).keys;
}

/** A fetcher over HTTP: each answer within `timeoutMs`. */
export function httpJwksFetcher(registry: SchemaRegistry, timeoutMs: number): JwksFetcher {
  return async (url) => {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
    if (res.status === 404) {
      await res.body?.cancel();
      return 'none';
    }
    if (res.status !== 200) {
      await res.body?.cancel();
      throw new Error(`answered ${res.status}`);
    }
    return { keys: parseJwks(await res.json(), registry) };
  };
}

/**
 * The gateway's one JWKS: each upstream's keys as last fetched, merged. A refresh that fails
 * for one upstream (down, timed out) keeps what it published before, so verifiers keep
 * working through a restart; a key an upstream stops publishing leaves at its next answer.
 */
export class MergedJwks {
  readonly #sources: readonly JwksSource[];
  readonly #fetch: JwksFetcher;
  readonly #logger: Logger;
  readonly #known = new Map<string, readonly PublicJwk[]>();
  #reported = new Set<string>();
  #refreshing: Promise<void> | undefined;

  constructor(sources: readonly JwksSource[], fetcher: JwksFetcher, logger: Logger) {
    this.#sources = sources;
    this.#fetch = fetcher;
    this.#logger = logger;
  }

  /** Fetches every upstream's JWKS once (a refresh already running is joined). */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#refreshAll().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refreshAll(): Promise<void> {
    await Promise.all(
      this.#sources.map(async ({ name, url }) => {
        try {
          const result = await this.#fetch(url);
          this.#known.set(name, result === 'none' ? [] : result.keys);
        } catch (error) {
          this.#logger.warn(
            { upstream: name, url, err: describeError(error) },
            this.#known.has(name)
              ? 'JWKS refresh failed; serving the keys it published before'
              : 'JWKS not fetched yet; its keys are missing from the merged JWKS',
          );
        }
      }),
    );
  }

  /** Upstreams whose JWKS was never fetched. */
  missing(): string[] {
    return this.#sources.filter((s) => !this.#known.has(s.name)).map((s) => s.name);
  }

  /** The merged keys; undefined while no upstream's JWKS is known at all. */
  keys(): PublicJwk[] | undefined {
    if (this.#known.size === 0) return undefined;
    const { keys, conflicts } = mergeJwks(
      this.#sources.flatMap((s) => {
        const keys = this.#known.get(s.name);
        return keys ? [{ name: s.name, keys }] : [];
      }),
    );
    for (const conflict of conflicts) {
      if (this.#reported.has(conflict)) continue;
      this.#reported.add(conflict);
      this.#logger.error({ conflict }, 'two services publish different keys under one kid');
    }
    return keys;
  }
}

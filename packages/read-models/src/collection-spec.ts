import type { CollectionSpec, IndexSpec } from '@pdx/store';

/**
 * A read model's collection: the indexes its own projection and every reader of the kind
 * need, and those one service adds for its own queries. The name stays the one the service
 * has always used, so no stored data moves.
 */
export function readModelCollection(
  name: string,
  base: readonly IndexSpec[],
  extra: readonly IndexSpec[] = [],
): CollectionSpec {
  const key = (index: IndexSpec) => `${index.fields.join(',')}${index.unique ? '!' : ''}`;
  const indexes = new Map<string, IndexSpec>();
  for (const index of [...base, ...extra]) indexes.set(key(index), index);
  return { name, indexes: [...indexes.values()] };
}

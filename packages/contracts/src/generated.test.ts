import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('generated contracts', () => {
  it('are in step with schemas/ (run `npm run gen:types` after editing a schema)', async () => {
    // @ts-expect-error -- a plain .mjs build script without type declarations
    const { generate } = (await import('../../../scripts/gen-types.mjs')) as {
      generate(): Promise<Record<string, string>>;
    };
    const expected = await generate();
    for (const [name, text] of Object.entries(expected)) {
      const actual = readFileSync(new URL(`./generated/${name}`, import.meta.url), 'utf8');
      expect(actual, `generated/${name} is stale`).toBe(text);
    }
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('the console API types', () => {
  it('are in step with schemas/api/openapi.json (run `npm run gen:api` after `npm run gen:openapi`)', async () => {
    // @ts-expect-error -- a plain .mjs build script without type declarations
    const { generate } = (await import('../scripts/gen-api-types.mjs')) as { generate(): Promise<string> };
    const actual = readFileSync(new URL('./generated/api.ts', import.meta.url), 'utf8');
    expect(actual, 'services/console/src/generated/api.ts is stale: npm run gen:api').toBe(await generate());
    // openapi-typescript takes a few seconds on the whole document (more on a busy machine).
  }, 60_000);
});

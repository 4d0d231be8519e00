import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);

function sources(dir: URL): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === 'dist' || e.name === 'node_modules') return [];
    const url = new URL(e.isDirectory() ? `${e.name}/` : e.name, dir);
    if (e.isDirectory()) return sources(url);
    return e.name.endsWith('.ts') && !e.name.includes('.test.')
      ? [{ file: url.pathname.slice(root.pathname.length), text: readFileSync(url, 'utf8') }]
      : [];
  });
}

describe('settings read from the environment', () => {
  it('compare no setting with a string literal: booleans go through config.bool', () => {
    // `config.string('X', 'false') === 'true'` made TRUE and 1 silently mean false.
    const adHoc = /config\.(?:string|optionalString)\([^)]*\)\s*(?:===|!==|==|!=)\s*['"`]/g;
    const found = [...sources(new URL('packages/', root)), ...sources(new URL('services/', root))].flatMap(
      ({ file, text }) => [...text.matchAll(adHoc)].map((m) => `${file}: ${m[0]}`),
    );
    expect(found).toEqual([]);
  });
});

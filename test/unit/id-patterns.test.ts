import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Each shared identifier is one JSON Schema in schemas/common, referenced by `$ref`: a second
 * copy of its regular expression in a route or a schema is how two doors come to accept
 * different ids. Generated files (which embed the schemas) and tests are not copies.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const owners: Record<string, string> = {
  '^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$': 'schemas/common/party-id.v1.json',
  '^[a-z0-9-]{1,64}~[0-9a-f]{20}$': 'schemas/common/certificate-id.v1.json',
  '^[a-z0-9-]{1,64}~[a-z0-9-]{1,64}$': 'schemas/common/relationship-id.v1.json',
  '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$': 'schemas/common/declaration-id.v1.json',
  '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$': 'schemas/common/record-id.v1.json',
  '^[A-Za-z0-9._~:-]+$': 'schemas/common/key-id.v1.json',
};
// The scheme id has the party id's shape but is its own schema; the scheme and recognition
// catalogues (data files) name programmes with it.
const alsoAllowed = new Set([
  'schemas/common/scheme-id.v1.json',
  'schemas/data/scheme-catalogue.v1.json',
  'schemas/data/mutual-recognition.v1.json',
]);
const skipped =
  /(^|\/)(node_modules|dist|dist-types|generated|test-fixtures)(\/|$)|\.test\.tsx?$|openapi\.json$/;

function files(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((entry) => {
    const path = `${dir}/${entry}`;
    if (skipped.test(path)) return [];
    if (statSync(join(root, path)).isDirectory()) return files(path);
    return /\.(ts|tsx|json)$/.test(entry) ? [path] : [];
  });
}

describe('id patterns are written once', () => {
  const sources = ['schemas', 'services', 'packages'].flatMap(files);

  it.each(Object.entries(owners))('%s lives in %s only', (pattern, owner) => {
    const escaped = JSON.stringify(pattern).slice(1, -1);
    const copies = sources.filter(
      (file) =>
        file !== owner &&
        !alsoAllowed.has(file) &&
        (() => {
          const text = readFileSync(join(root, file), 'utf8');
          return (
            text.includes(`'${pattern}'`) || text.includes(`"${escaped}"`) || text.includes(`/${pattern}/`)
          );
        })(),
    );
    expect(copies.map((f) => relative(root, join(root, f)))).toEqual([]);
    expect(readFileSync(join(root, owner), 'utf8')).toContain(`"pattern": "${escaped}"`);
  });
});

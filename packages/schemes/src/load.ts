import { readFileSync } from 'node:fs';
import type { MutualRecognitionCatalogue, SchemaRegistry, SchemeCatalogue } from '@pdx/contracts';
import { buildCatalogues, type Catalogues } from './catalogue.js';

const dataUrl = (file: string) => new URL(`../data/${file}`, import.meta.url);

/**
 * Reads the catalogues shipped in `data/`, validates them against their JSON Schemas and
 * checks that they refer to each other consistently. Broken data is a defect of the release,
 * so it throws TypeError (at start-up, not on a request).
 */
export function loadCatalogues(registry: SchemaRegistry): Catalogues {
  const read = (file: string, schemaId: string) => {
    const value: unknown = JSON.parse(readFileSync(dataUrl(file), 'utf8'));
    const violations = registry.check(schemaId, value);
    if (violations.length > 0) {
      throw new TypeError(`data/${file} does not match ${schemaId}: ${JSON.stringify(violations)}`);
    }
    return value;
  };
  return buildCatalogues(
    read('schemes.v1.json', 'urn:pdx:schema:data:scheme-catalogue.v1') as SchemeCatalogue,
    read(
      'mutual-recognition.v1.json',
      'urn:pdx:schema:data:mutual-recognition.v1',
    ) as MutualRecognitionCatalogue,
  );
}

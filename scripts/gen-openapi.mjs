// Writes schemas/api/openapi.json: the OpenAPI 3.1 document of every route `npm start` serves,
// as GET /openapi.json answers it. Generated from the route schemas; deterministic (no
// timestamps, sorted paths and components). A unit test fails when the committed file is
// stale: run `npm run gen:openapi` (after `npm run build`) when a route or a schema changes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alertsService } from '@pdx/alerts';
import { certificatesService } from '@pdx/certificates';
import { directoryService } from '@pdx/directory';
import { createHost } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { ledgerService } from '@pdx/ledger';
import { reviewService } from '@pdx/review';
import { silentLogger } from '@pdx/runtime';

export const target = fileURLToPath(new URL('../schemas/api/openapi.json', import.meta.url));

/** The document of the all-in-one process, built on a throwaway embedded store, as JSON text. */
export async function generate() {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-openapi-'));
  const host = await createHost({
    name: 'pdx',
    services: [
      intakeService,
      directoryService,
      certificatesService,
      alertsService,
      reviewService,
      ledgerService,
    ],
    env: { PDX_DATA_DIR: dir },
    logger: silentLogger(),
  });
  try {
    await host.http.ready();
    return `${JSON.stringify(host.http.swagger(), null, 2)}\n`;
  } finally {
    await host.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(target, await generate());
  console.log(`wrote ${target}`);
}

#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { alertsService } from '@pdx/alerts';
import { certificatesService } from '@pdx/certificates';
import { directoryService } from '@pdx/directory';
import { runMain } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { ledgerService } from '@pdx/ledger';
import { reviewService } from '@pdx/review';

// The whole exchange in one process: every service on one HTTP port, sharing one event log.
// Without KAFKA_BROKERS / MONGODB_URI it runs on the embedded log and store under PDX_DATA_DIR.
// The web console (services/console, built by `npm run build`) is served at `/`.
await runMain(
  'pdx',
  [intakeService, directoryService, certificatesService, alertsService, reviewService, ledgerService],
  { consoleDir: fileURLToPath(new URL('../../console/dist/', import.meta.url)) },
);

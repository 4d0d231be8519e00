#!/usr/bin/env node
import { alertsService } from '@pdx/alerts';
import { certificatesService } from '@pdx/certificates';
import { runMain } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { ledgerService } from '@pdx/ledger';
import { reviewService } from '@pdx/review';
import { statusService } from '@pdx/status';

// The whole exchange in one process: every service on one HTTP port, sharing one event log.
// Without KAFKA_BROKERS / MONGODB_URI it runs on the embedded log and store under PDX_DATA_DIR.
await runMain('pdx', [
  intakeService,
  statusService,
  certificatesService,
  alertsService,
  reviewService,
  ledgerService,
]);

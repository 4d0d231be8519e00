#!/usr/bin/env node
import { runMain } from '@pdx/host';
import { ledgerService } from './service.js';

await runMain('pdx-ledger', [ledgerService]);

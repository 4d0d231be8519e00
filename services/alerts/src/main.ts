#!/usr/bin/env node
import { runMain } from '@pdx/host';
import { alertsService } from './service.js';

await runMain('pdx-alerts', [alertsService]);

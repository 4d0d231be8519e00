#!/usr/bin/env node
import { runMain } from '@pdx/host';
import { statusService } from './service.js';

await runMain('pdx-status', [statusService]);

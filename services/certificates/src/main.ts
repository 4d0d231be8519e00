#!/usr/bin/env node
import { runMain } from '@pdx/host';
import { certificatesService } from './service.js';

await runMain('pdx-certificates', [certificatesService]);

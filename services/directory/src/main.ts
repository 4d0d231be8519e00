#!/usr/bin/env node
import { runMain } from '@pdx/host';
import { directoryService } from './service.js';

await runMain('pdx-directory', [directoryService]);

#!/usr/bin/env node
import { runMain } from '@pdx/host';
import { reviewService } from './service.js';

await runMain('pdx-review', [reviewService]);

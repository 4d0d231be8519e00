#!/usr/bin/env node
import { runMain } from '@pdx/host';
import { intakeService } from './service.js';

await runMain('pdx-intake', [intakeService]);

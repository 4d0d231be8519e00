export { intakeService } from '@pdx/intake';
export { statusService } from '@pdx/status';

export { CliError, type Io, run } from './cli.js';

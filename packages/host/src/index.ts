export { eventSource } from './event-source.js';
export {
  EXCHANGE_KEY_FILE,
  exchangeKeyOnce,
  type LoadedKey,
  loadSigningKey,
  type SigningKeySpec,
} from './exchange-key.js';
export { createHost, type Host, type HostMode, type HostOptions } from './host.js';
export { runMain } from './main-helper.js';
export type { ServiceDefinition, ServiceDeps, ServiceModule } from './service-module.js';

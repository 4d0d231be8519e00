export { ledgerRoutes } from './ledger-routes.js';
export { HeadSigner } from './log/heads.js';
export * from './log/ledger-docs.js';
export { entryText, Frontier, LedgerIntegrityError, nodeReader, storedRoot } from './log/ledger-log.js';
export { type IntegrityReport, selfCheck } from './log/self-check.js';
export { Sequencer, type SequencerOptions, type SequencerStore } from './log/sequencer.js';
export { LEDGER_GROUP, LEDGER_KEY_FILE, ledgerService, openLedgerStore } from './service.js';

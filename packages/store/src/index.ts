export { type AppliedEvent, appliedEvents, applyOnce } from './apply-once.js';
export {
  type ChangeOptions,
  type ChangeOutcome,
  type Committer,
  change,
  changeRecord,
  DEFAULT_CHANGE_ATTEMPTS,
  type Decision,
  handleChange,
  type RecordChangeOptions,
  type RecordDecision,
  refused,
  unchanged,
} from './change.js';
export type {
  Collection,
  CollectionSpec,
  Doc,
  DocumentStore,
  Filter,
  FindOptions,
  IndexSpec,
} from './document-store.js';
export { type EmbeddedStoreOptions, openEmbeddedStore } from './embedded-store.js';
export { StoreError, type StoreErrorCode, type StoreErrorInfo, storeErrorCatalog } from './errors.js';
export { type MongoStoreOptions, openMongoStore, type StoreLogger } from './mongo-store.js';
export {
  type CommitResult,
  commitChange,
  flushOutbox,
  flushOutboxes,
  type OutboxDeps,
  OutboxPendingError,
  type OutboxPublisher,
  type OutboxRecord,
  publishOutbox,
  type Unversioned,
} from './outbox.js';
export { watchOutboxes } from './outbox-metrics.js';

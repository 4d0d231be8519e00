export { type Cause, type EvaluationDeps, evaluatePair } from './evaluation/evaluate-pair.js';
export { StatusClock } from './evaluation/status-clock.js';
export { applyFactEvent, type FactStore, openFactStore, type Pair } from './facts/apply-fact-event.js';
export { type StatusRecord, statusRecords } from './facts/fact-docs.js';
export { REVIEW_GROUP, REVIEW_TOPICS, reviewService } from './service.js';

export { type EvaluationDeps, evaluatePair } from './evaluation/evaluate-pair.js';
export { type Cause, rulesInForce } from './evaluation/pair-decisions.js';
export { RulesChangeReview, type RulesReviewResult } from './evaluation/rules-change.js';
export { StatusClock } from './evaluation/status-clock.js';
export { applyFactEvent, type FactStore, openFactStore, type Pair } from './facts/apply-fact-event.js';
export {
  type RulesReviewDoc,
  rulesReviewDocs,
  type StatusRecord,
  statusRecords,
} from './facts/fact-docs.js';
export type { PartnerRowDoc } from './partner-list/partner-list.js';
export { partnerRowDocs } from './partner-list/partner-rows.js';
export {
  createReviewService,
  REVIEW_GROUP,
  REVIEW_TOPICS,
  type ReviewServiceOptions,
  reviewService,
} from './service.js';

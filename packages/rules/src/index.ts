export { addMonths, daysInMonth } from './calendar.js';
export {
  type Clause,
  type Decision,
  type FunctionStatus,
  type Ground,
  type Obligation,
  type ObligationCode,
  type PartnerStatus,
  partnerStatuses,
  type ReviewTask,
} from './decision.js';
export { evaluate } from './evaluate.js';
export {
  type AreaCode,
  areaCodes,
  areaNames,
  type BuyerPolicy,
  type DeclarationFact,
  type IncidentFact,
  type IncidentSeverity,
  incidentSeverities,
  type PartnerFacts,
  type ReviewMethod,
  type ReviewPolicy,
  type ReviewRecord,
  type RiskTier,
  reviewMethodNames,
  reviewMethods,
} from './facts.js';
export { riskTier } from './review-path.js';
export {
  defaultReviewPolicy,
  migrateReviewSettings,
  monthsOfLegacyDays,
  type ReviewPolicySettings,
  reviewPolicyOf,
  type TierSetting,
} from './review-policy.js';
export { RULES_ENGINE_VERSION } from './version.js';

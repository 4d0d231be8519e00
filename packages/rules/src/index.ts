export {
  type Clause,
  type Decision,
  evaluate,
  type FunctionStatus,
  type Ground,
  type Obligation,
  type ObligationCode,
  type PartnerStatus,
  partnerStatuses,
  type ReviewTask,
  riskTier,
} from './evaluate.js';
export {
  type AreaCode,
  areaCodes,
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
  reviewMethods,
} from './facts.js';
export { defaultReviewPolicy, type ReviewPolicySettings, reviewPolicyOf } from './review-policy.js';

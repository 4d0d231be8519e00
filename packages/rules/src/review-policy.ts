import type { AreaCode, ReviewMethod, ReviewPolicy, RiskTier } from './facts.js';

/**
 * Defaults for a buyer that has not set its own: areas by function (a carrier covers
 * conveyance security, a warehouse premises security…), carriers and terminals as higher
 * risk, and review intervals of 3, 2 and 1 years by document review, questionnaire and site
 * visit; an incident raises the tier for two years and calls for a review within 30 days.
 */
export const defaultReviewPolicy: ReviewPolicy = {
  requiredAreas: {
    all: ['A', 'F', 'H'],
    byFunction: {
      manufacturer: ['C', 'E', 'G'],
      shipper: ['C', 'E', 'G'],
      'ocean-carrier': ['C', 'D'],
      'air-carrier': ['C', 'D'],
      'road-carrier': ['C', 'D'],
      'rail-carrier': ['C', 'D'],
      forwarder: ['C', 'G'],
      warehouse: ['C', 'E'],
      'port-terminal': ['C', 'E'],
      'customs-broker': ['B', 'G'],
    },
  },
  highRiskFunctions: ['ocean-carrier', 'air-carrier', 'road-carrier', 'rail-carrier', 'port-terminal'],
  highRiskCountries: [],
  tiers: {
    low: { intervalDays: 3 * 365, method: 'document-review' },
    medium: { intervalDays: 2 * 365, method: 'questionnaire' },
    high: { intervalDays: 365, method: 'site-visit' },
  },
  firstReviewWithinDays: 30,
  incidentLookbackDays: 2 * 365,
  reviewAfterIncidentWithinDays: 30,
};

/** What a buyer may set of its review policy; anything left out keeps the default. */
export interface ReviewPolicySettings {
  highRiskCountries?: readonly string[];
  highRiskFunctions?: readonly string[];
  tiers?: Partial<Record<RiskTier, { intervalDays: number; method: ReviewMethod }>>;
  firstReviewWithinDays?: number;
  incidentLookbackDays?: number;
  reviewAfterIncidentWithinDays?: number;
  requiredAreas?: {
    all?: readonly string[];
    byFunction?: Readonly<Record<string, readonly string[] | undefined>>;
  };
}

/** Pure: a buyer's review policy, its settings laid over the defaults. */
export function reviewPolicyOf(settings: ReviewPolicySettings | undefined): ReviewPolicy {
  if (!settings) return defaultReviewPolicy;
  const d = defaultReviewPolicy;
  return {
    requiredAreas: {
      all: (settings.requiredAreas?.all as AreaCode[] | undefined) ?? d.requiredAreas.all,
      byFunction: {
        ...d.requiredAreas.byFunction,
        ...(settings.requiredAreas?.byFunction as ReviewPolicy['requiredAreas']['byFunction']),
      },
    },
    highRiskFunctions:
      (settings.highRiskFunctions as ReviewPolicy['highRiskFunctions'] | undefined) ?? d.highRiskFunctions,
    highRiskCountries: settings.highRiskCountries ?? d.highRiskCountries,
    tiers: { ...d.tiers, ...settings.tiers },
    firstReviewWithinDays: settings.firstReviewWithinDays ?? d.firstReviewWithinDays,
    incidentLookbackDays: settings.incidentLookbackDays ?? d.incidentLookbackDays,
    reviewAfterIncidentWithinDays: settings.reviewAfterIncidentWithinDays ?? d.reviewAfterIncidentWithinDays,
  };
}

import type { ReviewPolicy } from './facts.js';

/**
 * Defaults for a buyer that has not set its own: areas by function (a carrier covers
 * conveyance security, a warehouse premises security…), carriers and terminals as higher
 * risk, and review intervals of 3, 2 and 1 years by document review, questionnaire and site
 * visit.
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
};

import type { AreaCode, ReviewMethod, ReviewPolicy, RiskTier } from './facts.js';

/**
 * Defaults for a buyer that has not set its own: areas by function (a carrier covers
 * conveyance security, a warehouse premises security…), carriers and terminals as higher
 * risk, and reviews every 36, 24 and 12 calendar months by document review, questionnaire and
 * site visit; an incident raises the tier for 24 months and calls for a review within 30
 * days. Certificates that are only evidence for a review lower no tier unless the buyer says
 * so: a default must not reduce the review a partner gets on grounds the buyer did not choose.
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
    low: { intervalMonths: 36, method: 'document-review' },
    medium: { intervalMonths: 24, method: 'questionnaire' },
    high: { intervalMonths: 12, method: 'site-visit' },
  },
  firstReviewWithinDays: 30,
  incidentLookbackMonths: 24,
  reviewAfterIncidentWithinDays: 30,
  riskReducingEvidence: [],
};

/** A tier as a buyer sets it: months, or (policies set before calendar months) days. */
export interface TierSetting {
  intervalMonths?: number;
  /** @deprecated read as months by {@link monthsOfLegacyDays}; set intervalMonths. */
  intervalDays?: number;
  method: ReviewMethod;
}

/**
 * What a buyer may set of its review policy (the `review` member of its recognition policy,
 * `urn:pdx:schema:api:recognition-policy.v1`); anything left out keeps the default.
 */
export interface ReviewPolicySettings {
  highRiskCountries?: readonly string[];
  highRiskFunctions?: readonly string[];
  tiers?: Partial<Record<RiskTier, TierSetting>>;
  firstReviewWithinDays?: number;
  incidentLookbackMonths?: number;
  /** @deprecated read as months by {@link monthsOfLegacyDays}; set incidentLookbackMonths. */
  incidentLookbackDays?: number;
  reviewAfterIncidentWithinDays?: number;
  requiredAreas?: {
    all?: readonly string[];
    byFunction?: Readonly<Record<string, readonly string[] | undefined>>;
  };
  riskReducingEvidence?: readonly string[];
}

/**
 * A count of days from a policy set before intervals were calendar months, as the months it
 * stood for: the nearest whole number at 365 days a year (365 → 12, 730 → 24, 180 → 6), at
 * least one. The old fields only ever held policy text ("every 2 years") turned into days.
 */
export function monthsOfLegacyDays(days: number): number {
  return Math.max(1, Math.round((days * 12) / 365));
}

/**
 * Pure: review settings in the current form. A policy stored, or published on the log, before
 * intervals became calendar months names them in days (`intervalDays`,
 * `incidentLookbackDays`); they are read as months, so every stored policy keeps working
 * without rewriting the log. The result matches the current fields of the policy schema.
 */
export function migrateReviewSettings(settings: ReviewPolicySettings): ReviewPolicySettings {
  const { incidentLookbackDays, tiers, ...rest } = settings;
  const migrated: ReviewPolicySettings = { ...rest };
  if (tiers !== undefined) {
    migrated.tiers = Object.fromEntries(
      Object.entries(tiers).flatMap(([tier, setting]) => {
        if (!setting) return [];
        const { intervalDays, intervalMonths, method } = setting;
        const months =
          intervalMonths ??
          (intervalDays === undefined
            ? defaultReviewPolicy.tiers[tier as RiskTier].intervalMonths
            : monthsOfLegacyDays(intervalDays));
        return [[tier, { intervalMonths: months, method }]];
      }),
    );
  }
  const lookback =
    settings.incidentLookbackMonths ??
    (incidentLookbackDays === undefined ? undefined : monthsOfLegacyDays(incidentLookbackDays));
  if (lookback !== undefined) migrated.incidentLookbackMonths = lookback;
  return migrated;
}

/** Pure: a buyer's review policy, its settings (migrated) laid over the defaults. */
export function reviewPolicyOf(stored: ReviewPolicySettings | undefined): ReviewPolicy {
  if (!stored) return defaultReviewPolicy;
  const settings = migrateReviewSettings(stored);
  const d = defaultReviewPolicy;
  const tiers = { ...d.tiers };
  for (const tier of ['low', 'medium', 'high'] as const) {
    const set = settings.tiers?.[tier];
    if (set?.intervalMonths !== undefined)
      tiers[tier] = { intervalMonths: set.intervalMonths, method: set.method };
  }
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
    tiers,
    firstReviewWithinDays: settings.firstReviewWithinDays ?? d.firstReviewWithinDays,
    incidentLookbackMonths: settings.incidentLookbackMonths ?? d.incidentLookbackMonths,
    reviewAfterIncidentWithinDays: settings.reviewAfterIncidentWithinDays ?? d.reviewAfterIncidentWithinDays,
    riskReducingEvidence: settings.riskReducingEvidence ?? d.riskReducingEvidence,
  };
}

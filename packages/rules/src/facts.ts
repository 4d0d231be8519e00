import type { Certificate } from '@pdx/contracts';
import type { ServiceFunction } from '@pdx/schemes';

/** Security-measure areas of a Declaration of Security (WCO SAFE AEO requirements A–I). */
export const areaCodes = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'] as const;
export type AreaCode = (typeof areaCodes)[number];

/** The name of each area (ISO 28004-4 mapping of the WCO SAFE AEO requirements). */
export const areaNames: Readonly<Record<AreaCode, string>> = {
  A: 'education, training and awareness',
  B: 'information exchange, access and confidentiality',
  C: 'cargo security',
  D: 'conveyance security',
  E: 'premises security',
  F: 'personnel security',
  G: 'trading partner security',
  H: 'crisis management and incident recovery',
  I: 'measurement, analyses and improvement',
};

/** A verified declaration of the partner, as the engine needs it. */
export interface DeclarationFact {
  declarationId: string;
  /** The buyers it is addressed to. */
  recipients: readonly string[];
  issuedAt: string;
  validFrom: string;
  validUntil: string;
  /** Areas for which it states measures. */
  areas: readonly AreaCode[];
  /** The declaration this one replaces. */
  supersedes?: string;
}

export const reviewMethods = ['document-review', 'questionnaire', 'site-visit'] as const;
/** Extent of a review, least to most thorough. */
export type ReviewMethod = (typeof reviewMethods)[number];
/** A review method in words. */
export const reviewMethodNames: Readonly<Record<ReviewMethod, string>> = {
  'document-review': 'document review',
  questionnaire: 'questionnaire',
  'site-visit': 'site visit',
};

/** A security review (ISO 28001 4.5) the buyer recorded; kept, never overwritten. */
export interface ReviewRecord {
  reviewId: string;
  /** The declaration whose credibility was reviewed. */
  declarationId: string;
  reviewedAt: string;
  reviewer: string;
  method: ReviewMethod;
  outcome: 'credible' | 'not-credible';
  findings: readonly string[];
}

/** Everything known about one business partner of one buyer. */
export interface PartnerFacts {
  buyerId: string;
  partnerId: string;
  /** The partner's country of establishment. */
  country: string;
  /** The scope of service of the (accepted) business relationship. */
  functions: readonly ServiceFunction[];
  /** UN/LOCODEs of the scope; their first two letters are countries. */
  locations: readonly string[];
  certificates: readonly Certificate[];
  declarations: readonly DeclarationFact[];
  reviews: readonly ReviewRecord[];
  /** Security incidents involving the partner that the buyer recorded (ISO 28001 5.7). */
  incidents: readonly IncidentFact[];
}

export const incidentSeverities = ['low', 'medium', 'high'] as const;
export type IncidentSeverity = (typeof incidentSeverities)[number];

/** A security incident involving the partner, as the buyer recorded it (ISO 28001 5.7). */
export interface IncidentFact {
  incidentId: string;
  occurredAt: string;
  severity: IncidentSeverity;
}

export type RiskTier = 'low' | 'medium' | 'high';

/** How a buyer reviews partners (ISO 28001 4.5): risk tiers and what each asks. */
export interface ReviewPolicy {
  /** Areas a declaration must cover, for every partner and per function it performs. */
  requiredAreas: {
    all: readonly AreaCode[];
    byFunction: Partial<Record<ServiceFunction, readonly AreaCode[]>>;
  };
  highRiskFunctions: readonly ServiceFunction[];
  highRiskCountries: readonly string[];
  /** Per tier, how many calendar months a review counts and how thorough it must be. */
  tiers: Record<RiskTier, { intervalMonths: number; method: ReviewMethod }>;
  /** How many days after a declaration arrives its first review is due. */
  firstReviewWithinDays: number;
  /** How many calendar months a recorded incident raises the partner's risk tier. */
  incidentLookbackMonths: number;
  /** How many days after an incident the partner is reviewed again. */
  reviewAfterIncidentWithinDays: number;
  /**
   * Schemes that are only evidence for a review (ISO 28000, TAPA) whose certificates lower the
   * partner's risk tier one step when they cover every function under review.
   */
  riskReducingEvidence: readonly string[];
}

/** The part of a buyer's recognition policy the engine applies. */
export interface BuyerPolicy {
  buyerId: string;
  version: number;
  /** Recognised schemes. */
  schemes: readonly string[];
  /** Per scheme, the issuers recognised (absent: any registered issuer of the scheme). */
  issuers: Readonly<Record<string, readonly string[] | undefined>>;
  review: ReviewPolicy;
}

import type { Certificate } from '@pdx/contracts';
import type { ServiceFunction } from '@pdx/schemes';

/** Security-measure areas of a Declaration of Security (WCO SAFE AEO requirements A–I). */
export const areaCodes = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'] as const;
export type AreaCode = (typeof areaCodes)[number];

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
  tiers: Record<RiskTier, { intervalDays: number; method: ReviewMethod }>;
  /** How long after a declaration arrives its first review is due. */
  firstReviewWithinDays: number;
  /** How long a recorded incident raises the partner's risk tier. */
  incidentLookbackDays: number;
  /** How soon after an incident the partner is reviewed again. */
  reviewAfterIncidentWithinDays: number;
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

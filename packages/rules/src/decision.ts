import type { Certificate, PartnerDecision, ReviewTaskView } from '@pdx/contracts';
import type { ServiceFunction } from '@pdx/schemes';
import type { AreaCode, ReviewRecord, RiskTier } from './facts.js';

/**
 * The engine's answer, in one place. The enumerations are those of the published contract
 * (the generated `PartnerDecision`); the shapes are written here more precisely (a ground is a
 * union on its kind, functions are service functions), and the compile-time checks at the end
 * prove that a `Decision` is a `PartnerDecision` with exactly its members, so no caller casts.
 */

/** The ISO 28001 clauses a decision cites. */
export type Clause = PartnerDecision['clauses'][number];

export const partnerStatuses = [
  'exempt',
  'covered',
  'credible',
  'pending-review',
  'incomplete',
  'declaration-required',
  'review-overdue',
  'not-credible',
] as const satisfies readonly PartnerDecision['status'][];
/** On what basis a business partner is trusted, if at all (listed best first). */
export type PartnerStatus = (typeof partnerStatuses)[number];

export type ObligationCode = PartnerDecision['obligations'][number]['code'];

/** What is left to do, and by when. */
export interface Obligation {
  code: ObligationCode;
  clause: Clause;
  detail: string;
  dueAt?: string;
  functions?: ServiceFunction[];
  areas?: AreaCode[];
}

/** A fact a decision rests on. */
export type Ground =
  | {
      kind: 'certificate';
      clause: '4.3' | '4.4(a)' | '4.4(c)';
      certificateId: string;
      schemeId: string;
      functions?: ServiceFunction[];
    }
  | {
      /**
       * Supporting evidence for the review (ISO 28001 4.5): a certificate that is only
       * evidence (ISO 28000, TAPA), for the functions under review it speaks to. It never
       * grounds an exemption; it lowers the risk tier only where the buyer's policy says so.
       */
      kind: 'certificate';
      clause: '4.5';
      certificateId: string;
      schemeId: string;
      functions: ServiceFunction[];
      lowersRiskTier: boolean;
    }
  | { kind: 'declaration'; clause: '4.2'; declarationId: string }
  | { kind: 'review'; clause: '4.5'; reviewId: string; outcome: ReviewRecord['outcome'] };

/**
 * The review (ISO 28001 4.5) the buyer owes next: of which declaration, how, by when and why.
 * It stays the same task until one of these changes. The contract's type, as published.
 */
export type ReviewTask = ReviewTaskView;

export interface FunctionStatus {
  function: ServiceFunction;
  status: PartnerStatus;
  clause: Clause;
  certificateId?: string;
}

export interface Decision {
  buyerId: string;
  partnerId: string;
  status: PartnerStatus;
  clauses: Clause[];
  basis: Ground[];
  functions: FunctionStatus[];
  obligations: Obligation[];
  riskTier?: RiskTier;
  /** The next review the buyer owes, while the partner's trust rests on its declaration. */
  reviewTask?: ReviewTask;
  /** When the answer changes by itself (a validity ends or begins, a review falls due). */
  nextChangeAt?: string;
  evaluatedAt: string;
  policyVersion: number;
  catalogueVersion: number;
}

/** A certificate in force that is evidence for a review, and the functions it speaks to. */
export interface Supporting {
  certificate: Certificate;
  speaksTo: readonly ServiceFunction[];
}

/** What the declaration path (4.2, then 4.5) decides for the functions no certificate covers. */
export interface PathResult {
  status: Exclude<PartnerStatus, 'exempt' | 'covered'>;
  clause: Clause;
  clauses: Clause[];
  basis: Ground[];
  obligations: Obligation[];
  riskTier?: RiskTier;
  reviewTask?: ReviewTask;
}

/** Collects the moments after `now` at which the answer changes by itself. */
export type Later = (ms: number) => void;

// Compile-time proofs; a change on either side that breaks one fails `tsc -b`.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type KeysOf<U> = U extends unknown ? keyof U : never;
type Contract = PartnerDecision;
const proofs: [
  /** A decision is what the contract publishes… */
  [Decision] extends [Contract] ? true : false,
  /** …with exactly its members, … */
  Same<keyof Decision, keyof Contract>,
  Same<KeysOf<Ground>, keyof Contract['basis'][number]>,
  Same<keyof Obligation, keyof Contract['obligations'][number]>,
  Same<keyof FunctionStatus, keyof Contract['functions'][number]>,
  /** …and every status it can have. */
  Same<PartnerStatus, Contract['status']>,
] = [true, true, true, true, true, true];
void proofs;

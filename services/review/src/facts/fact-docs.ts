import type {
  EventDataMap,
  PartnerDecision,
  PdxEvent,
  ReviewRecord as ReviewRecordView,
} from '@pdx/contracts';
import { certificateCollection, linkCollection, partyCollection } from '@pdx/read-models';
import type {
  DeclarationFact,
  IncidentFact,
  ReviewPolicySettings,
  ReviewRecord,
  ReviewTask,
} from '@pdx/rules';
import type { OutboxRecord } from '@pdx/store';

export type { CertificateDoc, LinkDoc, PartyDoc } from '@pdx/read-models';

export interface DeclarationDoc {
  id: string;
  issuer: string;
  fact: DeclarationFact;
  jws: string;
  /** When intake received it: the one signing-related time a thief of the key cannot choose. */
  submittedAt?: string;
}
export interface PolicyDoc {
  id: string;
  version: number;
  schemes: string[];
  issuers: Record<string, string[]>;
  /** The buyer's review settings (ISO 28001 4.5), laid over the defaults. */
  review?: ReviewPolicySettings;
}
export interface ReviewDoc {
  id: string;
  buyerId: string;
  partnerId: string;
  review: ReviewRecord;
  /** The record as the buyer made it (reviewer, findings, evidence hashes), served as evidence. */
  record?: ReviewRecordView;
}
export interface IncidentDoc {
  id: string;
  buyerId: string;
  partnerId: string;
  incident: IncidentFact;
}

/** A review a buyer owes (ISO 28001 4.5), as opened and closed on pdx.review-tasks. */
export interface ReviewTaskDoc {
  /** The task id. */
  id: string;
  buyerId: string;
  partnerId: string;
  task: ReviewTask;
  state: 'open' | 'closed';
  dueMs: number;
  openedAt: string;
  closedAt?: string;
  outcome?: 'reviewed' | 'replaced' | 'not-required';
  reviewId?: string;
}

/** The decision in force for a (buyer, partner) pair, its events in an outbox until published. */
export interface StatusRecord extends OutboxRecord<PdxEvent> {
  buyerId: string;
  partnerId: string;
  decision: PartnerDecision;
  /** True while the pair's link is accepted. */
  linked: boolean;
  /** When the decision changes by itself (ms), for the re-evaluation scan. */
  nextChangeMs: number;
  scheduled: boolean;
  /** The id of the review task open for the pair, if one is owed. */
  taskId?: string;
  /**
   * The rules engine version the decision was made under (@pdx/rules RULES_ENGINE_VERSION);
   * with `decision.catalogueVersion`, the rules it holds under. Absent on a decision stored
   * before versions were recorded: version 1.
   */
  rulesEngineVersion?: number;
}

/** What made the review service decide: an event, a computed date passing, the rules changing. */
export type DecisionCause = EventDataMap['org.pdx.partner.status.changed.v1']['cause'];
/** The rules a decision was made under: scheme catalogue and rules engine versions. */
export type RulesVersion = NonNullable<DecisionCause['rules']>;

/** One change of a pair's decision, as published: the history a buyer can show an auditor. */
export interface HistoryDoc {
  id: string;
  buyerId: string;
  partnerId: string;
  version: number;
  decision: PartnerDecision;
  previousStatus?: string;
  cause: DecisionCause;
}

export const historyDocs = {
  name: 'status_history',
  indexes: [{ fields: ['buyerId', 'partnerId'] }],
} as const;
/** The review service's copies of the shared facts (see @pdx/read-models), with its own indexes. */
export const partyDocs = partyCollection();
export const linkDocs = linkCollection({ indexes: [{ fields: ['buyerId', 'state'] }] });
export const declarationDocs = { name: 'declarations', indexes: [{ fields: ['issuer'] }] } as const;
// By issuer: the attestations a revoked key signed.
export const certificateDocs = certificateCollection({ indexes: [{ fields: ['certificate.issuer'] }] });
export const policyDocs = { name: 'policies', indexes: [] } as const;
export const incidentDocs = {
  name: 'incidents',
  indexes: [{ fields: ['buyerId', 'partnerId'] }],
} as const;
export const reviewTaskDocs = {
  name: 'review_tasks',
  indexes: [{ fields: ['buyerId', 'state', 'dueMs'] }],
} as const;
export const reviewDocs = { name: 'reviews', indexes: [{ fields: ['buyerId', 'partnerId'] }] } as const;
export const statusRecords = {
  name: 'statuses',
  indexes: [
    { fields: ['pending'] },
    { fields: ['scheduled', 'nextChangeMs'] },
    { fields: ['buyerId'] },
    // Counts the decisions already made under the rules in force, at start-up.
    { fields: ['linked', 'rulesEngineVersion', 'decision.catalogueVersion'] },
  ],
} as const;

/**
 * One start-up re-evaluation of the decisions made under earlier rules (the last run per
 * rules version; every replica writes it when its pass ends): what it found and did.
 */
export interface RulesReviewDoc {
  /** `catalogue-<version>.engine-<version>`: the rules in force. */
  id: string;
  rules: RulesVersion;
  startedAt: string;
  completedAt: string;
  /** Linked pairs looked at. */
  examined: number;
  /** Of those, decided under other rules and evaluated again. */
  redecided: number;
  /** Of those, whose decision changed (published with cause rules-changed). */
  changed: number;
}
export const rulesReviewDocs = { name: 'rules_reviews', indexes: [] } as const;

export const NEVER = Number.MAX_SAFE_INTEGER;

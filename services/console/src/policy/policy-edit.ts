import type { Schemas } from '../api.js';

export type Policy = Schemas['RecognitionPolicy'];
export type PolicyUpdate = Schemas['RecognitionPolicyUpdate'];
export type Scheme = Schemas['SchemeCatalogue']['schemes'][number];

/** What the buyer edits: the body of PUT /v1/recognition-policies/{buyerId}. */
export function updateOf(policy: Policy): PolicyUpdate {
  return {
    schemes: [...policy.schemes].sort(),
    issuers: Object.fromEntries(
      Object.entries(policy.issuers)
        .filter(([, v]) => v.length > 0)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, [...v].sort()]),
    ),
    alertThresholdsDays: [...policy.alertThresholdsDays].sort((a, b) => b - a),
    digestThreshold: policy.digestThreshold,
    ...(policy.review === undefined ? {} : { review: policy.review as PolicyUpdate['review'] }),
  };
}

/** An evidence-only scheme (ISO 28000, TAPA): a review may weigh it; it never grounds an exemption. */
export const evidenceOnly = (scheme: Scheme): boolean => scheme.reviewEvidence !== undefined;

/** What a scheme can ground, in words of the standard: `4.3 (ocean-carrier, port-terminal)`, `4.4(c)`. */
export function groundsOf(scheme: Scheme): string[] {
  return scheme.isoBasis.map((b) => {
    const basis = b as { clause: string; functions?: string[] };
    return basis.functions && basis.functions.length > 0
      ? `${basis.clause} (${basis.functions.join(', ')})`
      : basis.clause;
  });
}

/** One difference between the policy in force and the policy as edited, by JSON pointer. */
export interface Change {
  pointer: string;
  /** Items of a list added and removed (lists are sets here), or a value before and after. */
  added?: string[];
  removed?: string[];
  before?: string;
  after?: string;
}

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: Json | undefined): string | undefined =>
  v === undefined ? undefined : Array.isArray(v) ? v.map((x) => text(x)).join(', ') : String(v);

/**
 * Pure: every difference between `before` and `after`, depth first in the order of the
 * members: a list of plain values is compared as a set (what is added, what removed), an
 * object member by member, anything else as its value. Empty when nothing changes.
 */
export function diffPolicy(before: PolicyUpdate, after: PolicyUpdate): Change[] {
  const changes: Change[] = [];
  const walk = (pointer: string, a: Json | undefined, b: Json | undefined) => {
    if (isObject(a) || isObject(b)) {
      const left = isObject(a) ? a : {};
      const right = isObject(b) ? b : {};
      const keys = [...new Set([...Object.keys(left), ...Object.keys(right)])];
      for (const key of keys)
        walk(`${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, left[key], right[key]);
      return;
    }
    if (Array.isArray(a) || Array.isArray(b)) {
      const left = (Array.isArray(a) ? a : []).map((x) => String(x));
      const right = (Array.isArray(b) ? b : []).map((x) => String(x));
      const added = right.filter((x) => !left.includes(x));
      const removed = left.filter((x) => !right.includes(x));
      if (added.length > 0 || removed.length > 0)
        changes.push({ pointer, ...(added.length ? { added } : {}), ...(removed.length ? { removed } : {}) });
      return;
    }
    if (a !== b) {
      const was = text(a);
      const now = text(b);
      changes.push({
        pointer,
        ...(was === undefined ? {} : { before: was }),
        ...(now === undefined ? {} : { after: now }),
      });
    }
  };
  walk('', before as unknown as Json, after as unknown as Json);
  return changes;
}

/** A list of whole days from a text field (`90, 30, 7`), or the first item that is not one. */
export function parseDays(input: string): { days: number[] } | { bad: string } {
  const items = input
    .split(/[;,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  const days: number[] = [];
  for (const item of items) {
    if (!/^\d{1,4}$/.test(item)) return { bad: item };
    days.push(Number(item));
  }
  return { days: [...new Set(days)].sort((a, b) => b - a) };
}

export type Tier = 'low' | 'medium' | 'high';
export type Method = 'document-review' | 'questionnaire' | 'site-visit';
export const TIERS: readonly Tier[] = ['low', 'medium', 'high'];
export const METHODS: readonly Method[] = ['document-review', 'questionnaire', 'site-visit'];
/** The review policy's defaults (ISO 28001 4.5, as the exchange applies them when a tier is not set). */
export const DEFAULT_TIERS: Record<Tier, { intervalMonths: number; method: Method }> = {
  low: { intervalMonths: 36, method: 'document-review' },
  medium: { intervalMonths: 24, method: 'questionnaire' },
  high: { intervalMonths: 12, method: 'site-visit' },
};

/** The form's fields, as text where a person types. */
export interface PolicyFields {
  schemes: string[];
  /** Per scheme id: issuer party ids, separated by spaces or commas (empty: any registered issuer). */
  issuers: Record<string, string>;
  thresholds: string;
  digest: string;
  riskReducingEvidence: string[];
  highRiskFunctions: string[];
  tiers: Record<Tier, { months: string; method: Method | '' }>;
  firstReview: string;
  /** ISO 3166 codes, separated by spaces or commas. */
  highRiskCountries: string;
  incidentLookbackMonths: string;
  reviewAfterIncident: string;
}

export function fieldsOf(policy: Policy): PolicyFields {
  const review = policy.review ?? {};
  const tier = (t: Tier) => {
    const set = review.tiers?.[t] as
      | { intervalMonths?: number; intervalDays?: number; method: Method }
      | undefined;
    const months =
      set?.intervalMonths ?? (set?.intervalDays ? Math.round((set.intervalDays * 12) / 365) : undefined);
    return { months: months === undefined ? '' : String(months), method: set?.method ?? ('' as const) };
  };
  return {
    schemes: [...policy.schemes],
    issuers: Object.fromEntries(Object.entries(policy.issuers).map(([k, v]) => [k, v.join(' ')])),
    thresholds: [...policy.alertThresholdsDays].sort((a, b) => b - a).join(', '),
    digest: String(policy.digestThreshold),
    riskReducingEvidence: [...(review.riskReducingEvidence ?? [])],
    highRiskFunctions: [...(review.highRiskFunctions ?? [])],
    tiers: { low: tier('low'), medium: tier('medium'), high: tier('high') },
    firstReview: review.firstReviewWithinDays === undefined ? '' : String(review.firstReviewWithinDays),
    highRiskCountries: [...(review.highRiskCountries ?? [])].join(', '),
    incidentLookbackMonths:
      review.incidentLookbackMonths === undefined ? '' : String(review.incidentLookbackMonths),
    reviewAfterIncident:
      review.reviewAfterIncidentWithinDays === undefined ? '' : String(review.reviewAfterIncidentWithinDays),
  };
}

/** Why a field cannot be sent, by its pointer: the message key and its values. */
export type FieldProblems = Record<string, { key: 'days' | 'number' | 'country'; value: string }>;

const split = (s: string) =>
  s
    .split(/[;,\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/**
 * Pure: the PUT body the fields make, on top of `base` (what the form does not edit, the
 * required areas, is kept as it is), or the fields that are not numbers or countries.
 */
export function updateFrom(
  fields: PolicyFields,
  base: Policy,
): { update: PolicyUpdate; problems: FieldProblems } {
  const problems: FieldProblems = {};
  const whole = (pointer: string, input: string): number | undefined => {
    if (input.trim() === '') return undefined;
    if (!/^\d{1,6}$/.test(input.trim())) {
      problems[pointer] = { key: 'number', value: input.trim() };
      return undefined;
    }
    return Number(input.trim());
  };
  const days = parseDays(fields.thresholds);
  if ('bad' in days) problems['/alertThresholdsDays'] = { key: 'days', value: days.bad };
  const digest = whole('/digestThreshold', fields.digest);
  const {
    tiers: _t,
    riskReducingEvidence: _r,
    highRiskFunctions: _h,
    firstReviewWithinDays: _f,
    highRiskCountries: _c,
    incidentLookbackMonths: _l,
    incidentLookbackDays: _ld,
    reviewAfterIncidentWithinDays: _a,
    ...kept
  } = (base.review ?? {}) as NonNullable<PolicyUpdate['review']>;
  const tiers: NonNullable<NonNullable<PolicyUpdate['review']>['tiers']> = {};
  for (const t of TIERS) {
    const { months, method } = fields.tiers[t];
    const n = whole(`/review/tiers/${t}/intervalMonths`, months);
    if (months.trim() === '' && method === '') continue;
    tiers[t] = {
      intervalMonths: n ?? DEFAULT_TIERS[t].intervalMonths,
      method: method || DEFAULT_TIERS[t].method,
    };
  }
  const firstReview = whole('/review/firstReviewWithinDays', fields.firstReview);
  const countries = [...new Set(split(fields.highRiskCountries.toUpperCase()))].sort();
  const badCountry = countries.find((c) => !/^[A-Z]{2}$/.test(c));
  if (badCountry !== undefined) problems['/review/highRiskCountries'] = { key: 'country', value: badCountry };
  // A look-back still in days (set before calendar months) is kept as it is until it is edited.
  const lookback = whole('/review/incidentLookbackMonths', fields.incidentLookbackMonths);
  const lookbackDays = (base.review as { incidentLookbackDays?: number } | undefined)?.incidentLookbackDays;
  const afterIncident = whole('/review/reviewAfterIncidentWithinDays', fields.reviewAfterIncident);
  const review = {
    ...kept,
    ...(fields.highRiskFunctions.length > 0
      ? { highRiskFunctions: [...fields.highRiskFunctions].sort() }
      : {}),
    ...(Object.keys(tiers).length > 0 ? { tiers } : {}),
    ...(firstReview === undefined ? {} : { firstReviewWithinDays: firstReview }),
    ...(countries.length > 0 && badCountry === undefined ? { highRiskCountries: countries } : {}),
    ...(lookback !== undefined
      ? { incidentLookbackMonths: lookback }
      : lookbackDays !== undefined && fields.incidentLookbackMonths.trim() === ''
        ? { incidentLookbackDays: lookbackDays }
        : {}),
    ...(afterIncident === undefined ? {} : { reviewAfterIncidentWithinDays: afterIncident }),
    ...(fields.riskReducingEvidence.length > 0
      ? { riskReducingEvidence: [...fields.riskReducingEvidence].sort() }
      : {}),
  } as NonNullable<PolicyUpdate['review']>;
  const schemes = [...new Set(fields.schemes)].sort();
  const issuers = Object.fromEntries(
    schemes.flatMap((id) => {
      const list = [...new Set(split(fields.issuers[id] ?? ''))].sort();
      return list.length > 0 ? [[id, list]] : [];
    }),
  );
  const update: PolicyUpdate = {
    schemes,
    issuers,
    alertThresholdsDays: 'days' in days && days.days.length > 0 ? days.days : base.alertThresholdsDays,
    digestThreshold: digest ?? base.digestThreshold,
    ...(Object.keys(review).length > 0 ? { review } : {}),
  };
  return { update, problems };
}

import { DeclarationIdSchema, DeclarationOfSecuritySchema } from '@pdx/contracts/schemas';
import { defaultReviewPolicy } from '@pdx/rules/review-policy';
import type { Problem, Schemas } from '../api.js';
import { fieldErrors } from '../api.js';
import type { Errors } from '../components/form.js';
import { t } from '../messages.js';
import type { RouteMode, ServiceFunction } from '../vocabulary.js';
import { locodeProblem, parseLocodes } from './scope.js';

/**
 * The declaration composer's logic, without a DOM: a draft as the form holds it, the console's
 * own checks (each message under the JSON pointer of the member it concerns, as the
 * exchange's problems name them), the DeclarationOfSecurity it becomes, and a draft started
 * from an earlier declaration to supersede it. Areas, their ISO references and the patterns
 * come from the schema; the areas each function requires from the rules package's default
 * review policy.
 */

// The generated type carries the schema's $defs as a member; the document has none.
export type Declaration = Omit<Schemas['DeclarationOfSecurity'], '$defs'>;
export type Report = Schemas['VerificationReport'];
export type CheckName = Report['checks'][number]['check'];

const measureSchemas = DeclarationOfSecuritySchema.properties.measures.properties;
export type AreaCode = keyof typeof measureSchemas;
/** A–I, in the schema's order. */
export const areaCodes = Object.keys(measureSchemas) as AreaCode[];

/** The ISO 28000 / ISO 28001 clauses of an area, fixed by the schema. */
export function isoReferences(area: AreaCode): { iso28000: readonly string[]; iso28001: readonly string[] } {
  return measureSchemas[area].properties.isoReferences.const;
}

/** Who needs an area: every partner, and/or the functions named. */
export interface AreaNeed {
  every: boolean;
  functions: ServiceFunction[];
}

/**
 * The areas `functions` require under the default review policy (a buyer may ask for more
 * in its own policy): those every partner covers, and those of each function.
 */
export function requiredAreas(functions: readonly ServiceFunction[]): Map<AreaCode, AreaNeed> {
  const needs = new Map<AreaCode, AreaNeed>();
  const need = (area: AreaCode) => {
    const found = needs.get(area) ?? { every: false, functions: [] };
    needs.set(area, found);
    return found;
  };
  const policy = defaultReviewPolicy.requiredAreas;
  for (const area of policy.all) need(area).every = true;
  for (const f of functions) for (const area of policy.byFunction[f] ?? []) need(area).functions.push(f);
  return needs;
}

export interface MeasureDraft {
  statement: string;
  /** One control a line. */
  controls: string;
}
export interface RouteDraft {
  from: string;
  to: string;
  mode: RouteMode | '';
}
/** The form's state: text as typed; dates as `yyyy-mm-dd` in the person's time zone. */
export interface Draft {
  declarationId: string;
  supersedes: string;
  functions: ServiceFunction[];
  locations: string;
  routes: RouteDraft[];
  measures: Record<AreaCode, MeasureDraft>;
  validFrom: string;
  validUntil: string;
  signatory: { name: string; title: string; authority: string };
  recipients: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');
/** A date as a date input holds it, in the local time zone. */
export const dateInput = (date: Date): string =>
  `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
const addYear = (date: Date) => new Date(date.getFullYear() + 1, date.getMonth(), date.getDate());

function localDate(value: string, endOfDay: boolean): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const date = endOfDay
    ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59)
    : new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(date.getTime()) || dateInput(date) !== value ? null : date;
}
/** The instant a validity begins: the start of its first day, in the person's time zone. */
export const validFromInstant = (value: string) => localDate(value, false);
/** The instant it ends: the end of its last day. */
export const validUntilInstant = (value: string) => localDate(value, true);

const emptyMeasures = (): Record<AreaCode, MeasureDraft> =>
  Object.fromEntries(areaCodes.map((a) => [a, { statement: '', controls: '' }])) as Record<
    AreaCode,
    MeasureDraft
  >;

/** A new declaration: valid for a year from today, with an id of today's date. */
export function emptyDraft(today: Date): Draft {
  return {
    declarationId: `dos-${dateInput(today)}`,
    supersedes: '',
    functions: [],
    locations: '',
    routes: [],
    measures: emptyMeasures(),
    validFrom: dateInput(today),
    validUntil: dateInput(addYear(today)),
    signatory: { name: '', title: '', authority: '' },
    recipients: [],
  };
}

/** The id of the next version of `id`: `dos-2026-3` → `dos-2026-4`, anything else gets `-2`. */
export function nextDeclarationId(id: string): string {
  const m = /^(.*-)(\d+)$/.exec(id);
  const next = m ? `${m[1]}${Number(m[2]) + 1}` : `${id}-2`;
  return next.length <= 128 ? next : id;
}

/**
 * A draft that supersedes `previous`: the same content, a new id, valid from today until the
 * previous end (a year when that has passed), addressed to those of its recipients still linked.
 */
export function draftFrom(previous: Declaration, today: Date, linked: readonly string[]): Draft {
  const draft = emptyDraft(today);
  const until = new Date(previous.validity.until);
  for (const area of areaCodes) {
    const m = previous.measures[area];
    if (m) draft.measures[area] = { statement: m.statement, controls: m.controls.join('\n') };
  }
  return {
    ...draft,
    declarationId: nextDeclarationId(previous.declarationId),
    supersedes: previous.declarationId,
    functions: [...previous.scopeOfService.functions],
    locations: (previous.scopeOfService.locations ?? []).join(', '),
    routes: (previous.scopeOfService.routes ?? []).map((r) => ({
      from: r.from,
      to: r.to,
      mode: r.mode ?? '',
    })),
    validUntil: until.getTime() > today.getTime() ? dateInput(until) : draft.validUntil,
    signatory: { ...previous.signatory },
    recipients: previous.recipients.filter((r) => linked.includes(r)),
  };
}

export const controlsOf = (text: string): string[] =>
  text
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
/** An area is stated once either of its fields has text. */
export const areaStated = (m: MeasureDraft): boolean =>
  m.statement.trim() !== '' || controlsOf(m.controls).length > 0;

/** The pointer under which the signing key's messages go (it is no member of the declaration). */
export const KEY_FIELD = '/key';

function locodeMessage(code: string): string | null {
  const problem = locodeProblem(code);
  if (problem === 'format') return t('declare.locode.format', { code });
  if (problem === 'country') return t('declare.locode.country', { code, country: code.slice(0, 2) });
  return null;
}

/** What is wrong with the typed locations, each code in words (empty when all are well-formed). */
export function locationMessages(text: string): string[] {
  return parseLocodes(text)
    .map(locodeMessage)
    .filter((m): m is string => m !== null);
}

/** A route end as typed: required, then well-formed. */
export function routeEndMessage(code: string): string | null {
  const value = code.trim().toUpperCase();
  return value === '' ? t('form.required') : locodeMessage(value);
}

const idPattern = new RegExp(DeclarationIdSchema.pattern);

/** The console's own checks before signing: messages by pointer (nothing when it may be signed). */
export function checkDraft(draft: Draft, hasKey: boolean): Errors {
  const found: Errors = {};
  const required = (pointer: string, value: string) => {
    if (value.trim() === '') found[pointer] = t('form.required');
  };
  if (draft.declarationId.trim() === '') found['/declarationId'] = t('form.required');
  else if (!idPattern.test(draft.declarationId.trim()))
    found['/declarationId'] = t('declare.error.declarationId');
  if (draft.functions.length === 0) found['/scopeOfService/functions'] = t('declare.error.functions');
  const locations = locationMessages(draft.locations);
  if (locations.length > 0) found['/scopeOfService/locations'] = locations.join(' ');
  draft.routes.forEach((route, i) => {
    for (const end of ['from', 'to'] as const) {
      const message = routeEndMessage(route[end]);
      if (message) found[`/scopeOfService/routes/${i}/${end}`] = message;
    }
  });
  const stated = areaCodes.filter((a) => areaStated(draft.measures[a]));
  if (stated.length === 0) found['/measures'] = t('declare.error.measures');
  for (const area of stated) {
    const m = draft.measures[area];
    required(`/measures/${area}/statement`, m.statement);
    if (controlsOf(m.controls).length === 0)
      found[`/measures/${area}/controls`] = t('declare.error.controls');
  }
  const from = validFromInstant(draft.validFrom);
  const until = validUntilInstant(draft.validUntil);
  if (!from) found['/validity/from'] = t('declare.error.date');
  if (!until) found['/validity/until'] = t('declare.error.date');
  else if (from && until <= from) found['/validity/until'] = t('declare.error.untilBeforeFrom');
  required('/signatory/name', draft.signatory.name);
  required('/signatory/title', draft.signatory.title);
  required('/signatory/authority', draft.signatory.authority);
  if (draft.recipients.length === 0) found['/recipients'] = t('declare.error.recipients');
  if (!hasKey) found[KEY_FIELD] = t('error.keyFile.missing');
  return found;
}

/** The declaration a checked draft states, issued by `issuer` at `now`. */
export function toDeclaration(draft: Draft, issuer: string, now: Date): Declaration {
  const locations = parseLocodes(draft.locations);
  const measures: Record<string, unknown> = {};
  for (const area of areaCodes) {
    const m = draft.measures[area];
    if (!areaStated(m)) continue;
    measures[area] = {
      statement: m.statement.trim(),
      controls: controlsOf(m.controls),
      isoReferences: isoReferences(area),
    };
  }
  return {
    declarationId: draft.declarationId.trim(),
    issuer,
    recipients: [...draft.recipients],
    scopeOfService: {
      functions: [...draft.functions],
      ...(locations.length > 0 ? { locations: [...new Set(locations)] } : {}),
      ...(draft.routes.length > 0
        ? {
            routes: draft.routes.map((r) => ({
              from: r.from.trim().toUpperCase(),
              to: r.to.trim().toUpperCase(),
              ...(r.mode ? { mode: r.mode } : {}),
            })),
          }
        : {}),
    } as Declaration['scopeOfService'],
    measures: measures as Declaration['measures'],
    validity: {
      from: (validFromInstant(draft.validFrom) as Date).toISOString(),
      until: (validUntilInstant(draft.validUntil) as Date).toISOString(),
    },
    signatory: {
      name: draft.signatory.name.trim(),
      title: draft.signatory.title.trim(),
      authority: draft.signatory.authority.trim(),
    },
    issuedAt: now.toISOString(),
    ...(draft.supersedes ? { supersedes: draft.supersedes } : {}),
  };
}

/** The form's fields for a draft: the pointer of each member the form fills. */
export function draftPointers(draft: Draft): string[] {
  return [
    '/declarationId',
    '/supersedes',
    '/scopeOfService/functions',
    '/scopeOfService/locations',
    ...draft.routes.flatMap((_r, i) => [
      `/scopeOfService/routes/${i}/from`,
      `/scopeOfService/routes/${i}/to`,
      `/scopeOfService/routes/${i}/mode`,
    ]),
    '/scopeOfService',
    '/measures',
    ...areaCodes.flatMap((a) => [`/measures/${a}/statement`, `/measures/${a}/controls`, `/measures/${a}`]),
    '/validity/from',
    '/validity/until',
    '/signatory/name',
    '/signatory/title',
    '/signatory/authority',
    '/recipients',
    KEY_FIELD,
  ];
}

/** The check a refusal failed, if its report names one. */
export function failedCheck(report: Report | undefined): CheckName | undefined {
  return report?.checks.find((c) => c.status === 'INVALID' || c.status === 'ERROR')?.check;
}

/**
 * A refusal's messages by field: each violation under the field its pointer names (as
 * fieldErrors does); a failed signature or key check, which names no member, goes to the
 * signing key's field, since the key is what to change.
 */
export function refusalErrors(problem: Problem, pointers: readonly string[]): Errors {
  const found: Errors = fieldErrors(problem, pointers);
  const check = failedCheck(problem.verification);
  if ((check === 'signature' || check === 'key-valid-at-signing-time') && found.form && !found[KEY_FIELD]) {
    found[KEY_FIELD] = found.form;
    delete found.form;
  }
  return found;
}

/** The pointers a refusal names (its violations, else its own pointer). */
export function refusedPointers(problem: Problem): string[] {
  const pointers = problem.errors?.map((e) => e.pointer) ?? [];
  if (pointers.length === 0 && problem.pointer) pointers.push(problem.pointer);
  return [...new Set(pointers)];
}

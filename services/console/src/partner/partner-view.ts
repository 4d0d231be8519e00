import type { PartnerDecision, Schemas } from '../api.js';
import { jsonOfBase64url, readHeader } from '../encoding.js';
import type { paths } from '../generated/api.js';
import { en, language, type MessageKey, t } from '../messages.js';
import { statusWord } from '../partners-view.js';

/** The pure logic of a buyer's page for one partner: the decision in words, the evidence decoded. */

export type Certificate = Schemas['Certificate'];
export type CertificateView = Schemas['CertificateView'];
export type Declaration = Schemas['DeclarationOfSecurity'];
export type VerificationReport = Schemas['VerificationReport'];
export type StatusView = Schemas['PartnerStatusView'];
export type Change =
  paths['/v1/partner-status/{partnerId}/history']['get']['responses'][200]['content']['application/json']['changes'][number];
type Basis = PartnerDecision['basis'][number];

/** The areas of a declaration, A to I (WCO SAFE AEO requirements as ISO 28004-4 maps them). */
export const AREAS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'] as const;
export type Area = (typeof AREAS)[number];

/** One reason of a decision in words, with the clause it rests on. */
export interface Reason {
  clause: string;
  text: string;
}

const certName = (id: string | undefined, byId: ReadonlyMap<string, Certificate>): string => {
  const cert = id === undefined ? undefined : byId.get(id);
  return cert ? t('partner.why.certName', { scheme: cert.schemeId, number: cert.number }) : (id ?? '');
};

const functionsPart = (functions: readonly string[] | undefined): string =>
  functions && functions.length > 0 ? t('partner.why.functions', { functions: listWords(functions) }) : '';

/** `a`, `a and b`, `a, b and c`: in the person's language (English here). */
export function listWords(items: readonly string[]): string {
  return new Intl.ListFormat(language.value, { style: 'long', type: 'conjunction' }).format(items);
}

/**
 * One sentence per fact the decision rests on, in the words a compliance manager uses: which
 * clause of ISO 28001 it falls under and what that means for this partner.
 */
export function reasons(
  decision: PartnerDecision,
  name: string,
  certificates: readonly Certificate[],
): Reason[] {
  const byId = new Map(certificates.map((c) => [c.certificateId, c]));
  return decision.basis.map((b: Basis) => {
    if (b.kind === 'certificate') {
      const values = { name, cert: certName(b.certificateId, byId), functions: functionsPart(b.functions) };
      const key: MessageKey =
        b.clause === '4.5'
          ? b.lowersRiskTier
            ? 'partner.why.cert.4.5.lowers'
            : 'partner.why.cert.4.5'
          : b.clause === '4.4(a)' || b.clause === '4.4(b)' || b.clause === '4.4(c)' || b.clause === '4.3'
            ? (`partner.why.cert.${b.clause}` as MessageKey)
            : 'partner.why.cert.other';
      return { clause: b.clause, text: t(key, { ...values, clause: b.clause }) };
    }
    if (b.kind === 'declaration')
      return { clause: b.clause, text: t('partner.why.declaration', { name, id: b.declarationId ?? '' }) };
    const id = b.reviewId ?? '';
    const key: MessageKey =
      b.outcome === 'credible'
        ? 'partner.why.review.credible'
        : b.outcome === 'not-credible'
          ? 'partner.why.review.not-credible'
          : 'partner.why.review';
    return { clause: b.clause, text: t(key, { id, clause: b.clause }) };
  });
}

/** What the status means for this partner, in one sentence. */
export const summary = (decision: PartnerDecision, name: string): string =>
  t(`partner.summary.${decision.status}` as MessageKey, { name });

/** The payload of a compact JWS, decoded for display (not verified: the exchange's report says that). */
export function decodeJws(jws: string): { header: Record<string, unknown>; payload: unknown } | null {
  const parts = jws.split('.');
  if (parts.length !== 3) return null;
  const header = readHeader(parts[0]!);
  const payload = jsonOfBase64url(parts[1]!);
  return header && payload !== undefined ? { header, payload } : null;
}

/** The signing key id (`kid`) of a compact JWS, or '' when it has none. */
export function kidOf(jws: string | undefined): string {
  const kid = jws === undefined ? undefined : decodeJws(jws)?.header.kid;
  return typeof kid === 'string' ? kid : '';
}

/** One row per area A–I: what the declaration states, and whether the decision finds it missing. */
export function areaRows(
  declaration: Declaration | undefined,
  decision: PartnerDecision,
): { area: Area; measure?: Declaration['measures'][Area]; missing: boolean }[] {
  const missing = new Set(
    decision.obligations.filter((o) => o.code === 'areas-missing').flatMap((o) => o.areas ?? []),
  );
  return AREAS.map((area) => {
    const measure = declaration?.measures[area];
    return { area, ...(measure ? { measure } : {}), missing: missing.has(area) };
  });
}

/** The cause of a change in words. */
export function causeText(cause: Change['cause']): string {
  if (cause.kind === 'time') return t('partner.cause.time');
  if (cause.kind === 'rules-changed')
    return t('partner.cause.rules', {
      fromCatalogue: cause.previousRules?.catalogueVersion ?? '?',
      toCatalogue: cause.rules?.catalogueVersion ?? '?',
      fromEngine: cause.previousRules?.engineVersion ?? '?',
      toEngine: cause.rules?.engineVersion ?? '?',
    });
  const key = `partner.cause.${cause.eventType ?? ''}`;
  return key in en
    ? t(key as MessageKey)
    : t('partner.cause.event', { type: cause.eventType ?? cause.eventId ?? '' });
}

/** What a change did to the status, in words. */
export function changeText(change: Change): string {
  const to = statusWord(change.decision.status);
  if (change.previousStatus === undefined) return t('partner.history.first', { status: to });
  if (change.previousStatus === change.decision.status) return t('partner.history.same', { status: to });
  return t('partner.history.change', {
    from: statusWord(change.previousStatus as PartnerDecision['status']),
    to,
  });
}

/** The history newest first. */
export const newestFirst = (changes: readonly Change[]): Change[] =>
  [...changes].sort((a, b) => b.version - a.version);

/**
 * The partner's certificates as the page lists them: those the decision cites first (with the
 * issuer's JWS from the evidence), then the others the exchange knows (claims to confirm).
 */
export function certificateRows(
  cited: readonly Certificate[],
  all: readonly CertificateView[],
): { certificate: Certificate; view?: CertificateView; cited: boolean }[] {
  const views = new Map(all.map((v) => [v.certificate.certificateId, v]));
  const citedIds = new Set(cited.map((c) => c.certificateId));
  const rows = cited.map((certificate) => {
    const view = views.get(certificate.certificateId);
    return { certificate, ...(view ? { view } : {}), cited: true };
  });
  for (const view of all)
    if (!citedIds.has(view.certificate.certificateId))
      rows.push({ certificate: view.certificate, view, cited: false });
  return rows;
}

/** Whether `buyerId` may still confirm this certificate: a claim it has not confirmed, not ended. */
export const confirmable = (certificate: Certificate, buyerId: string, effective?: string): boolean =>
  certificate.trust === 'claimed' &&
  !certificate.confirmations.some((c) => c.buyerId === buyerId) &&
  effective !== 'withdrawn' &&
  effective !== 'expired';

/** The lines of a textarea as a list: trimmed, the empty ones dropped. */
export const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);

/** A `datetime-local` value (the person's time zone) as an RFC 3339 instant, or null when empty or bad. */
export function localToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Now as a `datetime-local` value in the person's time zone (minutes). */
export function isoToLocal(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A fresh id for a review or an incident the buyer records (`R-20261202-1a2b`): editable. */
export function newRecordId(prefix: string, ms: number, random: number): string {
  const day = new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
  return `${prefix}-${day}-${Math.floor(random * 0xffff)
    .toString(16)
    .padStart(4, '0')}`;
}

/**
 * Whether the state after an action shows it applied: the decision was made again (another
 * evaluation) or, for a confirmation, the certificate now carries the buyer's confirmation.
 */
export function applied(before: StatusView, after: StatusView): boolean {
  return (
    after.decision.evaluatedAt !== before.decision.evaluatedAt ||
    JSON.stringify(after.decision) !== JSON.stringify(before.decision)
  );
}

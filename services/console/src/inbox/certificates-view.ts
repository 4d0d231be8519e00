import type { Schemas } from '../api.js';
import { formatDate, type MessageKey, t } from '../messages.js';

export type CertificateView = Schemas['CertificateView'];
type State = CertificateView['effectiveState'];

/** States in which a certificate may still count (and so has an expiry ahead to watch). */
const inForce: readonly State[] = ['active', 'suspended', 'pending'];

/**
 * The certificates in the order the page lists them: those still in force by days left (the
 * soonest lapse first, open-ended ones after), then the expired and withdrawn ones; ties by
 * partner and number.
 */
export function sortCertificates(views: readonly CertificateView[]): CertificateView[] {
  const rank = (v: CertificateView) => (inForce.includes(v.effectiveState) ? 0 : 1);
  const days = (v: CertificateView) => v.daysToExpiry ?? Number.POSITIVE_INFINITY;
  return [...views].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      days(a) - days(b) ||
      a.certificate.holder.localeCompare(b.certificate.holder) ||
      a.certificate.number.localeCompare(b.certificate.number),
  );
}

/** "12 days left", "expires today", "expired 3 days ago", "no end date". */
export function daysLeftText(days: number | undefined): string {
  if (days === undefined) return t('certificates.days.open');
  if (days === 0) return t('certificates.days.today');
  if (days === 1) return t('certificates.days.one');
  if (days === -1) return t('certificates.days.agoOne');
  if (days < 0) return t('certificates.days.ago', { days: -days });
  return t('certificates.days.left', { days });
}

export const stateWord = (state: State): string => t(`certificates.state.${state}` as MessageKey);

/** Who the certificate rests on: its issuer (attested) or the partner's word (claimed). */
export function trustText(view: CertificateView): string {
  const c = view.certificate;
  return c.trust === 'attested'
    ? t('certificates.trust.attested', { issuer: c.issuer ?? '' })
    : t('certificates.trust.claimed');
}

export interface MonthCount {
  /** The first day of the month, local time. */
  start: Date;
  /** "Jan 2027" in the person's locale. */
  label: string;
  /** "Jan" and "2027" apart, for a chart's axis. */
  month: string;
  year: string;
  count: number;
}

/**
 * How many certificates still in force reach their end in each of the 12 calendar months
 * from `now`'s (the current month counts from now on), in the person's time zone.
 */
export function expiriesByMonth(
  views: readonly CertificateView[],
  now: number,
  locale?: string,
): MonthCount[] {
  const today = new Date(now);
  const format = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric' });
  const monthOnly = new Intl.DateTimeFormat(locale, { month: 'short' });
  const yearOnly = new Intl.DateTimeFormat(locale, { year: 'numeric' });
  const months = Array.from({ length: 12 }, (_, i) => {
    const start = new Date(today.getFullYear(), today.getMonth() + i, 1);
    return {
      start,
      label: format.format(start),
      month: monthOnly.format(start),
      year: yearOnly.format(start),
      count: 0,
    };
  });
  const end = new Date(today.getFullYear(), today.getMonth() + 12, 1).getTime();
  for (const view of views) {
    const until = view.certificate.validUntil;
    if (until === undefined || !inForce.includes(view.effectiveState)) continue;
    const at = Date.parse(until);
    if (Number.isNaN(at) || at < now || at >= end) continue;
    const date = new Date(at);
    const index = (date.getFullYear() - today.getFullYear()) * 12 + date.getMonth() - today.getMonth();
    const month = months[index];
    if (month) month.count++;
  }
  return months;
}

/** The certificate's end date in the locale, or the words for none. */
export const validUntilText = (view: CertificateView): string =>
  view.certificate.validUntil ? formatDate(view.certificate.validUntil) : t('certificates.days.open');

export type CertificateStatus = Schemas['CertificateStatus'];

/** What the status lookup found, in words. */
export function lookupText(status: CertificateStatus): string[] {
  if (!status.found)
    return [t('certificates.lookup.notFound', { scheme: status.schemeId, number: status.number })];
  return [
    t('certificates.lookup.found', {
      number: status.number,
      scheme: status.schemeId,
      holder: status.holder ?? '',
      state: status.effectiveState ? stateWord(status.effectiveState) : '',
      days: daysLeftText(status.daysToExpiry),
    }),
    t(status.trust === 'attested' ? 'certificates.lookup.attested' : 'certificates.lookup.claimed'),
    ...(status.keyCheck?.status === 'INVALID' ? [t('certificates.keyInvalid')] : []),
    t('certificates.lookup.asOf', { date: formatDate(status.asOf) }),
  ];
}

import type { CertificateView } from '@pdx/contracts';

/** The states a certificate can be in now (`effectiveState`), as GET /v1/certificates filters them. */
export const effectiveStates = ['pending', 'active', 'suspended', 'withdrawn', 'expired'] as const;

/** The query of GET /v1/certificates. */
export interface CertificateListQuery {
  holder?: string;
  issuer?: string;
  scheme?: string;
  state?: (typeof effectiveStates)[number];
}

/**
 * The certificates GET /v1/certificates answers, from the views the caller may see: those of
 * the scheme and in the state asked for, soonest lapse first (open-ended ones last), then by
 * scheme and number so that the order is stable.
 */
export function listCertificates(
  views: readonly CertificateView[],
  query: Pick<CertificateListQuery, 'scheme' | 'state'>,
): CertificateView[] {
  return views
    .filter((v) => query.scheme === undefined || v.certificate.schemeId === query.scheme)
    .filter((v) => query.state === undefined || v.effectiveState === query.state)
    .sort(
      (a, b) =>
        (a.daysToExpiry ?? Number.MAX_SAFE_INTEGER) - (b.daysToExpiry ?? Number.MAX_SAFE_INTEGER) ||
        a.certificate.schemeId.localeCompare(b.certificate.schemeId) ||
        a.certificate.number.localeCompare(b.certificate.number),
    );
}

/** The items for which `keep` resolves true, in order. */
export async function filterAsync<T>(items: readonly T[], keep: (item: T) => Promise<boolean>): Promise<T[]> {
  const kept = await Promise.all(items.map(keep));
  return items.filter((_item, i) => kept[i]);
}

import type { CertificateView } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { filterAsync, listCertificates } from './certificate-list.js';

const view = (
  schemeId: string,
  number: string,
  effectiveState: CertificateView['effectiveState'],
  daysToExpiry?: number,
): CertificateView =>
  ({
    certificate: { schemeId, number },
    effectiveState,
    ...(daysToExpiry === undefined ? {} : { daysToExpiry }),
    asOf: '2026-12-01T00:00:00.000Z',
  }) as CertificateView;

describe('listCertificates', () => {
  const views = [
    view('eu-aeo-aeof', 'DE AEOF 2', 'active'),
    view('tapa-fsr', 'FSR-9', 'suspended', 30),
    view('eu-aeo-aeof', 'DE AEOF 1', 'suspended'),
    view('iso-28000', 'ISO-1', 'active', 5),
  ];

  it('keeps only the scheme and the state asked for', () => {
    expect(listCertificates(views, { state: 'suspended' }).map((v) => v.certificate.number)).toEqual([
      'FSR-9',
      'DE AEOF 1',
    ]);
    expect(listCertificates(views, { scheme: 'eu-aeo-aeof' }).map((v) => v.certificate.number)).toEqual([
      'DE AEOF 1',
      'DE AEOF 2',
    ]);
    expect(listCertificates(views, { scheme: 'eu-aeo-aeof', state: 'withdrawn' })).toEqual([]);
  });

  it('lists the soonest lapse first, open-ended last, ties by scheme and number', () => {
    expect(listCertificates(views, {}).map((v) => v.certificate.number)).toEqual([
      'ISO-1',
      'FSR-9',
      'DE AEOF 1',
      'DE AEOF 2',
    ]);
  });
});

describe('filterAsync', () => {
  it('keeps the items whose check resolves true, in order', async () => {
    expect(await filterAsync([1, 2, 3, 4], async (n) => n % 2 === 0)).toEqual([2, 4]);
  });
});

import type { PartnerDecision } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { statementHtml, statementOfApplication } from './statement-of-application.js';

const decision = (
  partnerId: string,
  status: PartnerDecision['status'],
  extra: Partial<PartnerDecision> = {},
): PartnerDecision => ({
  buyerId: 'globex',
  partnerId,
  status,
  clauses: status === 'exempt' ? ['4.4(c)'] : ['4.2'],
  basis:
    status === 'exempt'
      ? [
          {
            kind: 'certificate',
            clause: '4.4(c)',
            certificateId: 'eu-aeo-aeos~00000000000000000001',
            schemeId: 'eu-aeo-aeos',
          },
        ]
      : [],
  functions: [],
  obligations:
    status === 'exempt'
      ? []
      : [
          {
            code: 'declaration-required',
            clause: '4.2',
            detail: 'no declaration addressed to the buyer (ISO 28001 4.2)',
          },
        ],
  evaluatedAt: '2027-06-01T00:00:00.000Z',
  policyVersion: 2,
  catalogueVersion: 1,
  ...extra,
});
const link = (partnerId: string, functions: string[], locations: string[]) =>
  ({
    id: `globex~${partnerId}`,
    buyerId: 'globex',
    partnerId,
    state: 'accepted',
    functions,
    locations,
  }) as never;

describe('Statement of Application', () => {
  const soa = statementOfApplication(
    { buyerId: 'globex', legalName: 'Globex Retail BV' },
    [
      {
        decision: decision('zeta', 'declaration-required'),
        link: link('zeta', ['warehouse'], ['NLRTM']),
        party: undefined,
      },
      {
        decision: decision('acme', 'exempt'),
        link: link('acme', ['road-carrier'], ['DEHAM']),
        party: { id: 'acme', legalName: 'ACME <Logistics> & Co', country: 'DE', roles: [], keys: [] },
      },
    ],
    '2027-06-01T00:00:00.000Z',
  );

  it('lists every partner with scope and basis, the exempt ones with the reason', () => {
    expect(soa.scope).toEqual({ functions: ['road-carrier', 'warehouse'], locations: ['DEHAM', 'NLRTM'] });
    expect(soa.partners.map((p) => p.partnerId)).toEqual(['acme', 'zeta']);
    expect(soa.partners[0]!.exemption).toEqual({
      clause: '4.4(c)',
      certificates: [{ certificateId: 'eu-aeo-aeos~00000000000000000001', schemeId: 'eu-aeo-aeos' }],
    });
    expect(soa.partners[1]!.obligations).toEqual(['no declaration addressed to the buyer (ISO 28001 4.2)']);
    expect(soa.summary).toEqual({ partners: 2, exempt: 1, 'declaration-required': 1 });
    expect(soa.policyVersion).toBe(2);
  });

  it('escapes everything a party wrote on the printable page', () => {
    const html = statementHtml(soa);
    expect(html).toContain('ACME &lt;Logistics&gt; &amp; Co');
    expect(html).not.toContain('<Logistics>');
  });
});

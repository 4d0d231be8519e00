import type { PartnerDecision } from '@pdx/contracts';
import type { LinkDoc, PartyDoc } from './facts/fact-docs.js';

/** One business partner in a Statement of Application. */
export interface SoaPartner {
  partnerId: string;
  legalName: string;
  country: string;
  functions: string[];
  locations: string[];
  status: PartnerDecision['status'];
  clauses: PartnerDecision['clauses'];
  /** For an exempt partner: why (ISO 28001 4.4) and on which certificates. */
  exemption?: { clause: string; certificates: { certificateId: string; schemeId: string }[] };
  obligations: string[];
}

/** ISO 28001 4.1: the documented scope, the partners in it, and which are exempt and why. */
export interface StatementOfApplication {
  type: 'pdx.statement-of-application';
  standard: 'ISO 28001 4.1';
  buyerId: string;
  legalName: string;
  generatedAt: string;
  policyVersion: number;
  catalogueVersion: number;
  scope: { functions: string[]; locations: string[] };
  partners: SoaPartner[];
  summary: Record<string, number>;
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** Pure: the statement of one buyer from its partners' decisions in force and their links. */
export function statementOfApplication(
  buyer: { buyerId: string; legalName: string },
  entries: { decision: PartnerDecision; link: LinkDoc; party: PartyDoc | undefined }[],
  generatedAt: string,
): StatementOfApplication {
  const partners = entries
    .map(({ decision, link, party }): SoaPartner => {
      const certificates = decision.basis.flatMap((g) =>
        g.kind === 'certificate' && g.certificateId !== undefined
          ? [{ certificateId: g.certificateId, schemeId: g.schemeId ?? '' }]
          : [],
      );
      const clause = decision.clauses.find((c) => c.startsWith('4.4'));
      return {
        partnerId: decision.partnerId,
        legalName: party?.legalName ?? decision.partnerId,
        country: party?.country ?? '',
        functions: [...link.functions],
        locations: [...link.locations],
        status: decision.status,
        clauses: decision.clauses,
        ...(decision.status === 'exempt' && clause ? { exemption: { clause, certificates } } : {}),
        obligations: decision.obligations.map(
          (o) => `${o.detail}${o.dueAt ? ` (by ${o.dueAt.slice(0, 10)})` : ''}`,
        ),
      };
    })
    .sort((a, b) => (a.partnerId < b.partnerId ? -1 : 1));
  const summary: Record<string, number> = { partners: partners.length };
  for (const p of partners) summary[p.status] = (summary[p.status] ?? 0) + 1;
  return {
    type: 'pdx.statement-of-application',
    standard: 'ISO 28001 4.1',
    buyerId: buyer.buyerId,
    legalName: buyer.legalName,
    generatedAt,
    policyVersion: Math.max(0, ...entries.map((e) => e.decision.policyVersion)),
    catalogueVersion: Math.max(0, ...entries.map((e) => e.decision.catalogueVersion)),
    scope: {
      functions: sorted(partners.flatMap((p) => p.functions)),
      locations: sorted(partners.flatMap((p) => p.locations)),
    },
    partners,
    summary,
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Pure: the same statement as a printable HTML page (everything escaped). */
export function statementHtml(soa: StatementOfApplication): string {
  const rows = soa.partners
    .map(
      (
        p,
      ) => `<tr><td>${escapeHtml(p.legalName)}<br><small>${escapeHtml(p.partnerId)} · ${escapeHtml(p.country)}</small></td>
<td>${escapeHtml(p.functions.join(', '))}${p.locations.length ? `<br><small>${escapeHtml(p.locations.join(', '))}</small>` : ''}</td>
<td>${escapeHtml(p.status)}</td><td>${escapeHtml(p.clauses.join(', '))}</td>
<td>${p.exemption ? `${escapeHtml(p.exemption.clause)}: ${escapeHtml(p.exemption.certificates.map((c) => c.schemeId).join(', '))}` : ''}${
        p.obligations.length
          ? `<ul>${p.obligations.map((o) => `<li>${escapeHtml(o)}</li>`).join('')}</ul>`
          : ''
      }</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Statement of Application — ${escapeHtml(soa.legalName)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px 6px;vertical-align:top;text-align:left}small{color:#555}@media print{body{margin:0}}</style>
</head><body>
<h1>Statement of Application (ISO 28001 4.1)</h1>
<p><strong>${escapeHtml(soa.legalName)}</strong> (${escapeHtml(soa.buyerId)}) · generated ${escapeHtml(soa.generatedAt)} · recognition policy version ${soa.policyVersion} · scheme catalogue version ${soa.catalogueVersion}</p>
<h2>Scope</h2><p>Functions: ${escapeHtml(soa.scope.functions.join(', ') || '—')}<br>Locations: ${escapeHtml(soa.scope.locations.join(', ') || '—')}</p>
<h2>Business partners</h2>
<table><thead><tr><th>Partner</th><th>Scope of service</th><th>Status</th><th>Clauses</th><th>Exemption / obligations</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p><small>The response carries a Pdx-Signature header: a detached JWS of this page, verifiable with the exchange's key at /.well-known/jwks.json.</small></p>
</body></html>
`;
}

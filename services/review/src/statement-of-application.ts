import type {
  Certificate,
  PartnerDecision,
  StatementCertificate,
  StatementOfApplication,
  StatementPartner,
} from '@pdx/contracts';
import { linkScope } from '@pdx/read-models';
import {
  type AreaCode,
  areaNames,
  type DeclarationFact,
  type ReviewRecord,
  reviewMethodNames,
} from '@pdx/rules';
import type { Catalogues } from '@pdx/schemes';
import type { LinkDoc, PartyDoc } from './facts/fact-docs.js';

export type { StatementOfApplication } from '@pdx/contracts';

type Obligation = PartnerDecision['obligations'][number];
type Ground = PartnerDecision['basis'][number];

/**
 * What a statement is made of, already read by the caller: the decisions in force with their
 * links, and the facts they cite — the review service's own projections of the events it
 * consumes (parties with their identifiers, certificates with issuer and number, declarations,
 * the buyer's reviews).
 */
export interface StatementFacts {
  buyer: PartyDoc;
  entries: readonly { decision: PartnerDecision; link: LinkDoc }[];
  /** Parties by id: the partners and the issuers of the certificates cited. */
  parties: ReadonlyMap<string, PartyDoc>;
  certificates: ReadonlyMap<string, Certificate>;
  /** Declarations by `<issuer>~<declarationId>`. */
  declarations: ReadonlyMap<string, DeclarationFact>;
  /** The buyer's reviews by review id. */
  reviews: ReadonlyMap<string, ReviewRecord>;
  catalogues: Catalogues;
  generatedAt: string;
}

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
const date = (instant: string) => instant.slice(0, 10);

/**
 * Pure: a buyer's Statement of Application (ISO 28001 4.1), unsigned. It carries its evidence
 * so a customs validator needs nothing else: each partner's identifiers and scope of service;
 * for an exempt partner the scheme, number, issuing authority and validity of each certificate
 * it rests on; for 4.3 the functions each approval covers; the declaration and review a status
 * rests on; what is left to do, in words.
 */
export function statementOfApplication(facts: StatementFacts): StatementOfApplication {
  const partners = facts.entries
    .map(({ decision, link }) => partnerEntry(facts, decision, link))
    .sort((a, b) => (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0));
  const summary: Record<string, number> & { partners: number } = { partners: partners.length };
  for (const p of partners) summary[p.status] = (summary[p.status] ?? 0) + 1;
  const { buyer } = facts;
  return {
    type: 'pdx.statement-of-application',
    standard: 'ISO 28001 4.1',
    buyerId: buyer.id,
    legalName: buyer.legalName ?? buyer.id,
    buyer: {
      partyId: buyer.id,
      legalName: buyer.legalName ?? buyer.id,
      country: buyer.country,
      identifiers: identifiersOf(buyer),
    },
    generatedAt: facts.generatedAt,
    policyVersion: Math.max(0, ...facts.entries.map((e) => e.decision.policyVersion)),
    catalogueVersion: Math.max(0, ...facts.entries.map((e) => e.decision.catalogueVersion)),
    scope: {
      functions: sorted(partners.flatMap((p) => p.functions)),
      locations: sorted(partners.flatMap((p) => p.locations)),
    },
    partners,
    summary,
  };
}

// Old projections of a party may predate identifiers: they read as none.
const identifiersOf = (party: PartyDoc | undefined) =>
  (party?.identifiers ?? []).map(({ scheme, value }) => ({ scheme, value }));

function partnerEntry(facts: StatementFacts, decision: PartnerDecision, link: LinkDoc): StatementPartner {
  const party = facts.parties.get(decision.partnerId);
  const certificates = (clause: (c: Ground['clause']) => boolean) =>
    decision.basis.flatMap((g) =>
      g.kind === 'certificate' && g.certificateId !== undefined && clause(g.clause)
        ? [certificateEntry(facts, decision.buyerId, g)]
        : [],
    );
  const exemptClause = decision.clauses.includes('4.4(b)')
    ? '4.4(b)'
    : decision.clauses.find((c): c is '4.4(a)' | '4.4(c)' => c === '4.4(a)' || c === '4.4(c)');
  const exempt = decision.status === 'exempt' && exemptClause !== undefined;
  const coverage = exempt ? [] : certificates((c) => c === '4.3');
  const supporting = certificates((c) => c === '4.5');
  const declarationId = decision.basis.find((g) => g.kind === 'declaration')?.declarationId;
  const declaration =
    declarationId === undefined
      ? undefined
      : facts.declarations.get(`${decision.partnerId}~${declarationId}`);
  const reviewId = decision.basis.find((g) => g.kind === 'review')?.reviewId;
  const review = reviewId === undefined ? undefined : facts.reviews.get(reviewId);
  return {
    partnerId: decision.partnerId,
    legalName: party?.legalName ?? decision.partnerId,
    country: party?.country ?? '',
    identifiers: identifiersOf(party),
    ...linkScope(link),
    status: decision.status,
    clauses: decision.clauses,
    ...(decision.riskTier ? { riskTier: decision.riskTier } : {}),
    ...(exempt
      ? { exemption: { clause: exemptClause, certificates: certificates((c) => c !== '4.5') } }
      : {}),
    ...(coverage.length > 0 ? { coverage } : {}),
    ...(declaration
      ? {
          declaration: {
            declarationId: declaration.declarationId,
            issuedAt: declaration.issuedAt,
            validFrom: declaration.validFrom,
            validUntil: declaration.validUntil,
            areas: [...declaration.areas].sort().map((code) => ({ code, name: areaNames[code as AreaCode] })),
          },
        }
      : {}),
    ...(review
      ? {
          review: {
            reviewId: review.reviewId,
            reviewedAt: review.reviewedAt,
            method: review.method,
            outcome: review.outcome,
          },
        }
      : {}),
    ...(supporting.length > 0 ? { supportingEvidence: supporting } : {}),
    ...(decision.reviewTask ? { nextReviewDue: decision.reviewTask.dueAt } : {}),
    obligations: decision.obligations.map(obligationText),
  };
}

/** A cited certificate with what a validator checks it by: scheme, number, issuer, validity. */
function certificateEntry(facts: StatementFacts, buyerId: string, ground: Ground): StatementCertificate {
  const id = ground.certificateId as string;
  const c = facts.certificates.get(id);
  const schemeId = c?.schemeId ?? ground.schemeId ?? '';
  const issuer = c?.issuer;
  const confirmation = c?.confirmations.find((x) => x.buyerId === buyerId);
  return {
    certificateId: id,
    schemeId,
    scheme: facts.catalogues.byId.get(schemeId)?.name ?? schemeId,
    number: c?.number ?? '(not recorded)',
    issuingAuthority:
      issuer !== undefined
        ? { partyId: issuer, name: facts.parties.get(issuer)?.legalName ?? issuer }
        : { name: c?.issuerName ?? '(not named)' },
    trust: c?.trust ?? 'attested',
    ...(c?.trust === 'claimed' && confirmation
      ? {
          confirmedBy: {
            reviewer: confirmation.reviewer,
            evidenceRef: confirmation.evidenceRef,
            confirmedAt: confirmation.confirmedAt,
          },
        }
      : {}),
    validFrom: c?.validFrom ?? '',
    ...(c?.validUntil === undefined ? {} : { validUntil: c.validUntil }),
    state: c?.state ?? 'active',
    ...(c?.tier === undefined ? {} : { tier: c.tier }),
    ...(ground.functions && ground.functions.length > 0 ? { functions: [...ground.functions] } : {}),
    ...(ground.clause === '4.5' ? { lowersRiskTier: ground.lowersRiskTier === true } : {}),
  };
}

/** What is left to do as a sentence a validator reads, with its date. */
export function obligationText(o: Obligation): string {
  switch (o.code) {
    case 'declaration-required':
      return `Declaration of Security required${o.functions?.length ? ` for ${o.functions.join(', ')}` : ''}: ${o.detail}`;
    case 'review-due':
      return o.dueAt ? `${o.detail}, due by ${date(o.dueAt)}` : o.detail;
    case 'review-overdue':
      return o.dueAt ? `${o.detail} by ${date(o.dueAt)} and is overdue` : `${o.detail} and is overdue`;
    case 'areas-missing':
    case 'review-method':
    case 'not-credible':
      return o.detail;
    default:
      return assertNever(o.code);
  }
}

function assertNever(value: never): never {
  throw new TypeError(`unexpected obligation ${String(value)}`);
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const identifiersHtml = (ids: readonly { scheme: string; value: string }[]) =>
  ids.map((i) => `${escapeHtml(i.scheme)} ${escapeHtml(i.value)}`).join(' · ');

function certificateHtml(c: StatementCertificate): string {
  const validity = `valid from ${date(c.validFrom)} ${c.validUntil ? `until ${date(c.validUntil)}` : '(open-ended)'}`;
  const confirmed = c.confirmedBy
    ? `: ${escapeHtml(c.confirmedBy.reviewer)}, ${escapeHtml(c.confirmedBy.evidenceRef)}`
    : '';
  const by = `${escapeHtml(c.issuingAuthority.name)}${c.trust === 'claimed' ? ` (claimed by the holder; confirmed by this buyer${confirmed})` : ''}`;
  const functions = c.functions
    ? ` — ${c.lowersRiskTier === undefined ? 'covers' : 'speaks to'} ${escapeHtml(c.functions.join(', '))}`
    : '';
  const lowers = c.lowersRiskTier ? ' (lowered the risk tier)' : '';
  return `${escapeHtml(c.scheme)} <strong>${escapeHtml(c.number)}</strong>, issued by ${by}, ${escapeHtml(validity)}, ${escapeHtml(c.state)}${functions}${lowers}`;
}

function basisHtml(p: StatementPartner): string {
  const parts: string[] = [];
  if (p.exemption) {
    parts.push(
      `<p>Exempt under ISO 28001 ${escapeHtml(p.exemption.clause)}:</p><ul>${p.exemption.certificates.map((c) => `<li>${certificateHtml(c)}</li>`).join('')}</ul>`,
    );
  }
  if (p.coverage) {
    parts.push(
      `<p>Covered under 4.3:</p><ul>${p.coverage.map((c) => `<li>${certificateHtml(c)}</li>`).join('')}</ul>`,
    );
  }
  if (p.declaration) {
    const d = p.declaration;
    parts.push(
      `<p>Declaration of Security ${escapeHtml(d.declarationId)}, issued ${date(d.issuedAt)}, valid ${date(d.validFrom)} to ${date(d.validUntil)}; areas: ${escapeHtml(d.areas.map((a) => `${a.code} (${a.name})`).join(', '))}</p>`,
    );
  }
  if (p.review) {
    parts.push(
      `<p>Reviewed ${date(p.review.reviewedAt)} by ${escapeHtml(reviewMethodNames[p.review.method])}: ${escapeHtml(p.review.outcome)}${p.nextReviewDue ? `; next review due by ${date(p.nextReviewDue)}` : ''}</p>`,
    );
  } else if (p.nextReviewDue) {
    parts.push(`<p>First review due by ${date(p.nextReviewDue)}</p>`);
  }
  if (p.supportingEvidence) {
    parts.push(
      `<p>Supporting evidence (not grounds for an exemption):</p><ul>${p.supportingEvidence.map((c) => `<li>${certificateHtml(c)}</li>`).join('')}</ul>`,
    );
  }
  if (p.obligations.length) {
    parts.push(`<p>To do:</p><ul>${p.obligations.map((o) => `<li>${escapeHtml(o)}</li>`).join('')}</ul>`);
  }
  return parts.join('\n');
}

/**
 * Pure: the signed statement as a printable HTML page (everything escaped). It shows the
 * signature's digest and how to verify it, and embeds the signed JSON itself, so a saved page
 * can be checked with `pdx verify-statement` long after it was printed.
 */
export function statementHtml(soa: StatementOfApplication): string {
  const rows = soa.partners
    .map(
      (
        p,
      ) => `<tr><td>${escapeHtml(p.legalName)}<br><small>${escapeHtml(p.partnerId)} · ${escapeHtml(p.country)}${p.identifiers.length ? `<br>${identifiersHtml(p.identifiers)}` : ''}</small></td>
<td>${escapeHtml(p.functions.join(', '))}${p.locations.length ? `<br><small>${escapeHtml(p.locations.join(', '))}</small>` : ''}</td>
<td>${escapeHtml(p.status)}${p.riskTier ? `<br><small>${escapeHtml(p.riskTier)} risk</small>` : ''}</td><td>${escapeHtml(p.clauses.join(', '))}</td>
<td>${basisHtml(p)}</td></tr>`,
    )
    .join('\n');
  const s = soa.signature;
  const signature = s
    ? `<h2>Signature</h2>
<p>Signed by the exchange with key <code>${escapeHtml(s.kid)}</code> (${escapeHtml(s.alg)}), published at <code>${escapeHtml(s.jwks)}</code>.<br>
Digest (SHA-256 of the RFC 8785 canonical JSON of the statement without its signature): <code>${escapeHtml(s.digest)}</code></p>
<p>To verify: save this page (or the JSON form, <code>GET /v1/statement-of-application</code>) and run
<code>pdx verify-statement &lt;file&gt; --url &lt;exchange URL&gt;</code> (or <code>--jwks &lt;jwks.json&gt;</code> with the exchange's keys obtained once). It checks the key, recomputes the digest and verifies the signature, and fails if anything was altered.</p>
<script type="application/json" id="pdx-statement">${JSON.stringify(soa).replace(/</g, '\\u003c')}</script>`
    : '<p><strong>Unsigned.</strong></p>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Statement of Application — ${escapeHtml(soa.legalName)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em}table{border-collapse:collapse;width:100%}td,th{border:1px solid #999;padding:4px 6px;vertical-align:top;text-align:left}td p,td ul{margin:0 0 4px}small{color:#555}code{word-break:break-all}@media print{body{margin:0}}</style>
</head><body>
<h1>Statement of Application (ISO 28001 4.1)</h1>
<p><strong>${escapeHtml(soa.legalName)}</strong> (${escapeHtml(soa.buyerId)}, ${escapeHtml(soa.buyer.country)}${soa.buyer.identifiers.length ? ` · ${identifiersHtml(soa.buyer.identifiers)}` : ''}) · generated ${escapeHtml(soa.generatedAt)} · recognition policy version ${soa.policyVersion} · scheme catalogue version ${soa.catalogueVersion}</p>
<h2>Scope</h2><p>Functions: ${escapeHtml(soa.scope.functions.join(', ') || '—')}<br>Locations: ${escapeHtml(soa.scope.locations.join(', ') || '—')}</p>
<h2>Business partners</h2>
<table><thead><tr><th>Partner</th><th>Scope of service</th><th>Status</th><th>Clauses</th><th>Basis, evidence and obligations</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${signature}
</body></html>
`;
}

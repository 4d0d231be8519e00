import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { apiRequest, type Schemas, type TokenSource } from '../api.js';
import { errorText } from '../errors.js';
import { formatDate, type MessageKey, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import { onLinkClick } from '../router.js';
import { methodWord } from '../vocabulary.js';
import '../styles/policy.css';

type Statement = Schemas['StatementOfApplication'];
type Certificate = Schemas['StatementOfApplication_certificate'];
type Partner = Schemas['StatementOfApplication_partner'];

/**
 * The statement as the exchange sent it: the text (what the download offers, byte for byte:
 * the signature is over its canonical form, and a validator checks this very file) and its
 * parsed form.
 */
async function fetchStatement(tokens: TokenSource): Promise<{ text: string; statement: Statement }> {
  const answer = await apiRequest(tokens, 'get', '/v1/statement-of-application');
  return { text: answer.text, statement: answer.body as Statement };
}

const list = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : t('partners.none'));

function Certificates({ certificates, caption }: { certificates: Certificate[]; caption: string }) {
  return (
    <table class="soa-certs">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('statement.cert.scheme')}</th>
          <th scope="col">{t('statement.cert.number')}</th>
          <th scope="col">{t('statement.cert.issuer')}</th>
          <th scope="col">{t('statement.cert.trust')}</th>
          <th scope="col">{t('statement.cert.valid')}</th>
          <th scope="col">{t('statement.cert.state')}</th>
          <th scope="col">{t('statement.cert.functions')}</th>
        </tr>
      </thead>
      <tbody>
        {certificates.map((c) => (
          <tr key={c.certificateId}>
            <th scope="row">{c.scheme}</th>
            <td>{c.number}</td>
            <td>
              {c.issuingAuthority.name}
              {c.issuingAuthority.partyId ? ` (${c.issuingAuthority.partyId})` : ''}
            </td>
            <td>
              {c.trust === 'attested'
                ? t('statement.trust.attested')
                : t('statement.trust.claimed', { reviewer: c.confirmedBy?.reviewer ?? '' })}
            </td>
            <td>
              {c.validUntil
                ? t('statement.cert.validRange', {
                    from: formatDate(c.validFrom),
                    until: formatDate(c.validUntil),
                  })
                : t('statement.cert.openEnded', { from: formatDate(c.validFrom) })}
            </td>
            <td>{c.state}</td>
            <td>{list(c.functions ?? [])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PartnerEntry({ partner: p }: { partner: Partner }) {
  const headingId = `soa-partner-${p.partnerId}`;
  return (
    <section class="soa-partner" aria-labelledby={headingId}>
      <h4 id={headingId}>
        {p.legalName} <span class="muted">({p.partnerId})</span>
      </h4>
      <dl class="soa-facts">
        <dt>{t('statement.status')}</dt>
        <dd>
          <span class={`status status-${p.status}`}>{t(`status.${p.status}` as MessageKey)}</span>
        </dd>
        <dt>{t('statement.clauses')}</dt>
        <dd>{list(p.clauses)}</dd>
        <dt>{t('statement.country')}</dt>
        <dd>{p.country}</dd>
        <dt>{t('statement.identifiers')}</dt>
        <dd>{list(p.identifiers.map((i) => `${i.scheme} ${i.value}`))}</dd>
        <dt>{t('statement.functions')}</dt>
        <dd>{list(p.functions)}</dd>
        <dt>{t('statement.locations')}</dt>
        <dd>{list(p.locations)}</dd>
        {p.riskTier && (
          <>
            <dt>{t('statement.risk')}</dt>
            <dd>{t(`risk.${p.riskTier}` as MessageKey)}</dd>
          </>
        )}
      </dl>
      {p.exemption && (
        <Certificates
          certificates={p.exemption.certificates}
          caption={t('statement.exemption', { clause: p.exemption.clause })}
        />
      )}
      {p.coverage && p.coverage.length > 0 && (
        <Certificates certificates={p.coverage} caption={t('statement.coverage')} />
      )}
      {p.declaration && (
        <p>
          {t('statement.declaration', {
            id: p.declaration.declarationId,
            issued: formatDate(p.declaration.issuedAt),
            from: formatDate(p.declaration.validFrom),
            until: formatDate(p.declaration.validUntil),
            areas: p.declaration.areas.map((a) => a.code).join(', '),
          })}
        </p>
      )}
      {p.review && (
        <p>
          {t('statement.review', {
            id: p.review.reviewId,
            date: formatDate(p.review.reviewedAt),
            method: methodWord(p.review.method),
            outcome: t(`status.${p.review.outcome}` as MessageKey),
          })}
        </p>
      )}
      {p.nextReviewDue && <p>{t('statement.nextReview', { date: formatDate(p.nextReviewDue) })}</p>}
      {p.supportingEvidence && p.supportingEvidence.length > 0 && (
        <Certificates certificates={p.supportingEvidence} caption={t('statement.evidence')} />
      )}
      <p class="soa-label">{t('statement.obligations')}</p>
      {p.obligations.length > 0 ? (
        <ul>
          {p.obligations.map((o) => (
            <li key={o}>{o}</li>
          ))}
        </ul>
      ) : (
        <p>{t('statement.obligations.none')}</p>
      )}
    </section>
  );
}

/** The buyer's Statement of Application as a document: on screen, printed on A4, and as the signed JSON. */
export function StatementPage({ session }: SignedInProps) {
  const loaded = useSignal<{ text: string; statement: Statement; url: string } | null>(null);
  const error = useSignal<string | null>(null);

  useEffect(() => {
    let live = true;
    let url: string | undefined;
    fetchStatement(session.tokens)
      .then(({ text, statement }) => {
        if (!live) return;
        url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
        loaded.value = { text, statement, url };
      })
      .catch((e: unknown) => {
        if (live) error.value = errorText(e);
      });
    return () => {
      live = false;
      if (url) URL.revokeObjectURL(url);
    };
  }, [session]);

  const s = loaded.value?.statement;
  const statuses = s
    ? Object.entries(s.summary).filter(([k, v]) => k !== 'partners' && typeof v === 'number' && v > 0)
    : [];
  return (
    <main id="content" tabIndex={-1} class="statement-page">
      <h1 class="no-print">{t('statement.title')}</h1>
      <p class="intro no-print">{t('statement.intro')}</p>
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
      {!error.value && !s && <p aria-live="polite">{t('app.loading')}</p>}
      {s && loaded.value && (
        <>
          <div class="toolbar no-print">
            <button type="button" onClick={() => window.print()}>
              {t('statement.print')}
            </button>
            <a
              class="button-link"
              href={loaded.value.url}
              download={`statement-of-application-${s.buyerId}-${s.generatedAt.slice(0, 10)}.json`}
              aria-describedby="soa-download-hint"
            >
              {t('statement.download')}
            </a>
            <p id="soa-download-hint" class="hint">
              {t('statement.download.hint')}
            </p>
          </div>
          <article class="soa" aria-labelledby="soa-title">
            <header class="soa-header">
              <p class="soa-kind">{t('statement.document')}</p>
              <h2 id="soa-title">
                {s.legalName} <span class="muted">({s.buyerId})</span>
              </h2>
              <dl class="soa-facts">
                <dt>{t('statement.generated')}</dt>
                <dd>
                  <time dateTime={s.generatedAt}>
                    {new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' }).format(
                      new Date(s.generatedAt),
                    )}
                  </time>
                </dd>
                <dt>{t('statement.exchange')}</dt>
                <dd>{location.origin}</dd>
                <dt>{t('statement.policyVersion')}</dt>
                <dd>{s.policyVersion}</dd>
                <dt>{t('statement.catalogueVersion')}</dt>
                <dd>{s.catalogueVersion}</dd>
              </dl>
            </header>
            <section aria-labelledby="soa-buyer">
              <h3 id="soa-buyer">{t('statement.buyer')}</h3>
              <dl class="soa-facts">
                <dt>{t('statement.country')}</dt>
                <dd>{s.buyer.country}</dd>
                <dt>{t('statement.identifiers')}</dt>
                <dd>{list(s.buyer.identifiers.map((i) => `${i.scheme} ${i.value}`))}</dd>
              </dl>
            </section>
            <section aria-labelledby="soa-scope">
              <h3 id="soa-scope">{t('statement.scope')}</h3>
              <dl class="soa-facts">
                <dt>{t('statement.functions')}</dt>
                <dd>{list(s.scope.functions)}</dd>
                <dt>{t('statement.locations')}</dt>
                <dd>{list(s.scope.locations)}</dd>
                <dt>{t('statement.summary')}</dt>
                <dd>
                  {statuses.length > 0
                    ? statuses.map(([k, v]) => `${t(`status.${k}` as MessageKey)}: ${v}`).join(', ')
                    : t('partners.none')}
                </dd>
              </dl>
            </section>
            <section aria-labelledby="soa-partners">
              <h3 id="soa-partners">{t('statement.partners', { count: s.partners.length })}</h3>
              {s.partners.length === 0 ? (
                <p class="empty">
                  {t('statement.none')}{' '}
                  <a href="/invite" onClick={onLinkClick} class="no-print">
                    {t('statement.none.link')}
                  </a>
                </p>
              ) : (
                s.partners.map((p) => <PartnerEntry key={p.partnerId} partner={p} />)
              )}
            </section>
            <section aria-labelledby="soa-signature" class="soa-signature">
              <h3 id="soa-signature">{t('statement.signature')}</h3>
              <p>
                {s.signature
                  ? t('statement.signature.body', {
                      kid: s.signature.kid,
                      alg: s.signature.alg,
                      digest: s.signature.digest,
                    })
                  : t('statement.signature.missing')}
              </p>
              <div class="soa-signoff">
                <p class="soa-label">{t('statement.signoff')}</p>
                <dl>
                  <dt>{t('statement.signoff.name')}</dt>
                  <dd />
                  <dt>{t('statement.signoff.authority')}</dt>
                  <dd />
                  <dt>{t('statement.signoff.date')}</dt>
                  <dd />
                  <dt>{t('statement.signoff.signature')}</dt>
                  <dd class="tall" />
                </dl>
              </div>
            </section>
          </article>
        </>
      )}
    </main>
  );
}

import { apiGet } from '../api.js';
import { LoadState, useLoad } from '../components/load.js';
import { CertificateLookup } from '../inbox/certificate-lookup.js';
import {
  daysLeftText,
  expiriesByMonth,
  type MonthCount,
  sortCertificates,
  stateWord,
  trustText,
  validUntilText,
} from '../inbox/certificates-view.js';
import { t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import { onLinkClick, pathTo } from '../router.js';
import '../styles/inbox.css';

// The drawing's own units (the SVG scales to the width it is given).
const WIDTH = 720;
const HEIGHT = 220;
const TOP = 24;
const BOTTOM = 40;
const LEFT = 8;

/** Expiries per month as bars, with the same numbers in a table below for screen readers and print. */
function ExpiryChart({ months }: { months: MonthCount[] }) {
  const max = Math.max(1, ...months.map((m) => m.count));
  const total = months.reduce((sum, m) => sum + m.count, 0);
  const slot = (WIDTH - LEFT) / months.length;
  const plot = HEIGHT - TOP - BOTTOM;
  return (
    <section class="inbox-chart" aria-labelledby="chart-title">
      <h2 id="chart-title">{t('certificates.chart.title')}</h2>
      <svg
        class="inbox-chart-svg"
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby="chart-svg-title chart-svg-desc"
      >
        <title id="chart-svg-title">{t('certificates.chart.title')}</title>
        <desc id="chart-svg-desc">
          {t('certificates.chart.desc', { total, max: Math.max(0, ...months.map((m) => m.count)) })}
        </desc>
        <line class="inbox-chart-axis" x1={LEFT} x2={WIDTH} y1={HEIGHT - BOTTOM} y2={HEIGHT - BOTTOM} />
        {months.map((m, i) => {
          const height = (m.count / max) * plot;
          const x = LEFT + i * slot;
          const y = HEIGHT - BOTTOM - height;
          return (
            <g key={m.label}>
              {m.count > 0 && (
                <rect class="inbox-chart-bar" x={x + slot * 0.2} y={y} width={slot * 0.6} height={height} />
              )}
              <text class="inbox-chart-count" x={x + slot / 2} y={y - 6}>
                {m.count}
              </text>
              <text class="inbox-chart-month" x={x + slot / 2} y={HEIGHT - BOTTOM + 18}>
                {m.month}
              </text>
              {/* The year under the first month and under each January. */}
              {(i === 0 || m.start.getMonth() === 0) && (
                <text class="inbox-chart-month" x={x + slot / 2} y={HEIGHT - BOTTOM + 33}>
                  {m.year}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      {/* The same numbers as a table: short cells that wrap, so it fits without scrolling. */}
      <table class="inbox-chart-table">
        <caption id="chart-table-caption">{t('certificates.chart.table')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('certificates.chart.month')}</th>
            {months.map((m) => (
              <th scope="col" key={m.label}>
                {m.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t('certificates.chart.count')}</th>
            {months.map((m) => (
              <td key={m.label}>{m.count}</td>
            ))}
          </tr>
        </tbody>
      </table>
    </section>
  );
}

/** The buyer's partners' certificates: the soonest expiry first with days left, and expiries per month. */
export function CertificatesPage({ session, page }: SignedInProps) {
  const { data, error } = useLoad(async () => {
    const answer = await apiGet(session.tokens, '/v1/certificates');
    // The buyer's own certificates (a party may be a partner too) are not its partners'.
    const partners = answer.certificates.filter((c) => c.certificate.holder !== session.partyId);
    return { asOf: Date.parse(partners[0]?.asOf ?? '') || 0, list: sortCertificates(partners) };
  }, [session]);

  const list = data.value?.list ?? null;
  const asOf = data.value?.asOf ?? 0;
  return (
    <main id="content" tabIndex={-1} class="inbox-page">
      <h1>{t(page.label)}</h1>
      <p class="intro">{t('certificates.intro')}</p>
      <LoadState error={error.value} data={list} title={t('certificates.empty.title')}>
        {t('certificates.empty.body')}
      </LoadState>
      {list && list.length > 0 && (
        <>
          <div class="table-wrap">
            <table>
              <caption>{t('certificates.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('certificates.col.certificate')}</th>
                  <th scope="col">{t('certificates.col.partner')}</th>
                  <th scope="col">{t('certificates.col.state')}</th>
                  <th scope="col">{t('certificates.col.validUntil')}</th>
                  <th scope="col">{t('certificates.col.daysLeft')}</th>
                  <th scope="col">{t('certificates.col.trust')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((v) => {
                  const c = v.certificate;
                  const soon = v.daysToExpiry !== undefined && v.daysToExpiry <= 30;
                  return (
                    <tr key={c.certificateId}>
                      <th scope="row">
                        {c.number}
                        <span class="inbox-sub">{c.schemeId}</span>
                      </th>
                      <td>
                        <a
                          href={pathTo('/partners/:partnerId', { partnerId: c.holder })}
                          onClick={onLinkClick}
                        >
                          {c.holder}
                        </a>
                      </td>
                      <td>
                        <span class={`inbox-cert-state inbox-cert-${v.effectiveState}`}>
                          {stateWord(v.effectiveState)}
                        </span>
                      </td>
                      <td>
                        {c.validUntil ? (
                          <time dateTime={c.validUntil}>{validUntilText(v)}</time>
                        ) : (
                          validUntilText(v)
                        )}
                      </td>
                      <td class={soon ? 'inbox-days inbox-soon' : 'inbox-days'}>
                        {daysLeftText(v.daysToExpiry)}
                      </td>
                      <td>
                        {trustText(v)}
                        {v.keyCheck?.status === 'INVALID' && (
                          <p class="error">{t('certificates.keyInvalid')}</p>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <ExpiryChart months={expiriesByMonth(list, asOf)} />
        </>
      )}
      <CertificateLookup session={session} />
    </main>
  );
}

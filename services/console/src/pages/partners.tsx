import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { apiGet, type PartnerDecision } from '../api.js';
import { errorText } from '../errors.js';
import { formatDate, type MessageKey, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import { basisText, countByStatus, nextObligation, sortPartners, statusWord } from '../partners-view.js';
import { onLinkClick, pathTo } from '../router.js';

export function StatusBadge({ status }: { status: PartnerDecision['status'] }) {
  return <span class={`status status-${status}`}>{statusWord(status)}</span>;
}

/** The buyer's partners: counts per status, then one row per partner. */
export function Partners({ session }: SignedInProps) {
  const partners = useSignal<PartnerDecision[] | null>(null);
  const error = useSignal<string | null>(null);

  useEffect(() => {
    let live = true;
    apiGet(session.tokens, '/v1/partner-status')
      .then((answer) => {
        if (live) partners.value = sortPartners(answer.partners);
      })
      .catch((e: unknown) => {
        if (live) error.value = errorText(e);
      });
    return () => {
      live = false;
    };
  }, [session]);

  return (
    <main id="content" tabIndex={-1}>
      <h1>{t('partners.title')}</h1>
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
      {!error.value && partners.value === null && <p aria-live="polite">{t('app.loading')}</p>}
      {partners.value?.length === 0 && (
        <section class="empty" aria-labelledby="empty-title">
          <h2 id="empty-title">{t('partners.empty.title')}</h2>
          <p>{t('partners.empty.body')}</p>
        </section>
      )}
      {partners.value && partners.value.length > 0 && (
        <>
          <section aria-labelledby="counts-title">
            <h2 id="counts-title" class="visually-hidden">
              {t('partners.counts')}
            </h2>
            <p class="total">
              {partners.value.length === 1
                ? t('partners.total.one')
                : t('partners.total', { count: partners.value.length })}
            </p>
            <ul class="counts">
              {countByStatus(partners.value)
                .filter((c) => c.count > 0)
                .map((c) => (
                  <li key={c.status}>
                    <StatusBadge status={c.status} /> <strong>{c.count}</strong>
                  </li>
                ))}
            </ul>
          </section>
          <div class="table-wrap">
            <table>
              <caption>{t('partners.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('partners.col.partner')}</th>
                  <th scope="col">{t('partners.col.status')}</th>
                  <th scope="col">{t('partners.col.clause')}</th>
                  <th scope="col">{t('partners.col.basis')}</th>
                  <th scope="col">{t('partners.col.risk')}</th>
                  <th scope="col">{t('partners.col.next')}</th>
                  <th scope="col">{t('partners.col.due')}</th>
                </tr>
              </thead>
              <tbody>
                {partners.value.map((p) => {
                  const next = nextObligation(p);
                  const basis = basisText(p);
                  return (
                    <tr key={p.partnerId}>
                      <th scope="row">
                        <a
                          href={pathTo('/partners/:partnerId', { partnerId: p.partnerId })}
                          onClick={onLinkClick}
                        >
                          {p.partnerId}
                        </a>
                      </th>
                      <td>
                        <StatusBadge status={p.status} />
                      </td>
                      <td>{p.clauses.join(', ') || t('partners.none')}</td>
                      <td>{basis.length > 0 ? basis.join('; ') : t('partners.none')}</td>
                      <td>{p.riskTier ? t(`risk.${p.riskTier}` as MessageKey) : t('partners.none')}</td>
                      <td>
                        {next ? (
                          <>
                            <strong>{t(`obligation.${next.code}` as MessageKey)}</strong> ({next.clause}):{' '}
                            {next.detail}
                          </>
                        ) : (
                          t('partners.none')
                        )}
                      </td>
                      <td>
                        {next?.dueAt ? (
                          <time dateTime={next.dueAt}>{formatDate(next.dueAt)}</time>
                        ) : (
                          t('partners.none')
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p class="hint">{t('partners.pending')}</p>
        </>
      )}
    </main>
  );
}

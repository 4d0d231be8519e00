import { useSignal } from '@preact/signals';
import type { TargetedEvent } from 'preact';
import { useEffect } from 'preact/hooks';
import { apiGet, type PartnerDecision } from '../api.js';
import { Field, FormError, inputProps, useForm } from '../components/form.js';
import { formatDate, type MessageKey, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import {
  basisText,
  countByStatus,
  filterFromQuery,
  isFiltered,
  type ListFilter,
  nextObligation,
  queryOfFilter,
  type Status,
  showingText,
  statusWord,
} from '../partners-view.js';
import { onLinkClick, pathTo, query, route, setQuery } from '../router.js';
import '../styles/partners-list.css';
import { functionWord, partnerStatuses, type ServiceFunction, serviceFunctions } from '../vocabulary.js';

type ListAnswer = Awaited<ReturnType<typeof apiGet<'/v1/partner-status'>>>;

/** Every request member the filter form fills, by the API's parameter names (problem pointers). */
const POINTERS = ['/q', '/status', '/function', '/country', '/dueBefore'] as const;
const FORM_ID = 'partner-filters';
const PAGE_SIZE = '50';

export function StatusBadge({ status }: { status: PartnerDecision['status'] }) {
  return <span class={`status status-${status}`}>{statusWord(status)}</span>;
}

/** The address of the list with `filter` (the page's own path: the list at /partners). */
const hrefOf = (filter: ListFilter) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(queryOfFilter(filter))) if (value) params.set(name, value);
  const text = params.toString();
  return `${route.value}${text ? `?${text}` : ''}`;
};

/**
 * The buyer's partners, a page at a time from the exchange: counts per status of the whole
 * list (each one filters by its status), a filter form and search kept in the address, and
 * pages of 50, the next obligation due first.
 */
export function Partners({ session }: SignedInProps) {
  const address = query.value.toString();
  const filter = filterFromQuery(query.value);
  const answer = useSignal<ListAnswer | null>(null);
  const loading = useSignal(true);
  const draft = useSignal<ListFilter>(filter);
  const form = useForm(POINTERS, FORM_ID);

  useEffect(() => {
    draft.value = filterFromQuery(query.value);
    let live = true;
    loading.value = true;
    const wanted = filterFromQuery(query.value);
    const { cursor, ...rest } = queryOfFilter(wanted);
    apiGet(session.tokens, '/v1/partner-status', { query: { ...rest, cursor, limit: PAGE_SIZE } })
      .then((body) => {
        if (!live) return;
        answer.value = body;
        form.errors.value = {};
      })
      .catch((e: unknown) => {
        if (live) form.fail(e);
      })
      .finally(() => {
        if (live) loading.value = false;
      });
    return () => {
      live = false;
    };
  }, [session, address]);

  const apply = (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { cursor: _page, ...next } = draft.value;
    const country = next.country?.trim().toUpperCase();
    if (
      form.refuse({
        '/country': country && !/^[A-Z]{2}$/.test(country) ? t('partnersList.country.invalid') : undefined,
      })
    )
      return;
    const q = next.q?.trim();
    setQuery(
      queryOfFilter({
        ...next,
        ...(country ? { country } : { country: undefined }),
        ...(q ? { q } : { q: undefined }),
      }),
    );
  };
  const set = (patch: Partial<ListFilter>) => {
    draft.value = { ...draft.value, ...patch };
  };
  const toggleStatus = (status: Status, on: boolean) => {
    const chosen = new Set(draft.value.statuses);
    if (on) chosen.add(status);
    else chosen.delete(status);
    set({ statuses: partnerStatuses.filter((s) => chosen.has(s)) });
  };

  const a = answer.value;
  const filtered = isFiltered(filter);
  return (
    <main id="content" tabIndex={-1}>
      <h1>{t('partners.title')}</h1>
      <p class="visually-hidden" role="status" aria-live="polite">
        {loading.value ? t('app.loading') : a ? showingText(a.offset, a.partners.length, a.matching) : ''}
      </p>
      {loading.value && a === null && <p>{t('app.loading')}</p>}
      {a && a.total === 0 && !filtered && (
        <section class="empty" aria-labelledby="empty-title">
          <h2 id="empty-title">{t('partners.empty.title')}</h2>
          <p>{t('partners.empty.body')}</p>
        </section>
      )}
      {((a && (a.total > 0 || filtered)) || (!a && Object.keys(form.errors.value).length > 0)) && (
        <>
          {a && (
            <section aria-labelledby="counts-title">
              <h2 id="counts-title" class="visually-hidden">
                {t('partners.counts')}
              </h2>
              <p class="total">
                {a.total === 1 ? t('partners.total.one') : t('partners.total', { count: a.total })}
              </p>
              <ul class="counts">
                {countByStatus(a.counts)
                  .filter((c) => c.count > 0 || filter.statuses.includes(c.status))
                  .map((c) => {
                    const only = filter.statuses.length === 1 && filter.statuses[0] === c.status;
                    return (
                      <li key={c.status}>
                        <a
                          class="count-link"
                          href={hrefOf({ statuses: [c.status] })}
                          onClick={onLinkClick}
                          aria-label={t('partnersList.count.label', {
                            status: statusWord(c.status),
                            count: c.count,
                          })}
                          {...(only ? { 'aria-current': 'true' as const } : {})}
                        >
                          <StatusBadge status={c.status} /> <strong>{c.count}</strong>
                        </a>
                      </li>
                    );
                  })}
              </ul>
            </section>
          )}
          <form
            id={FORM_ID}
            class="list-filters"
            aria-label={t('partnersList.filters')}
            onSubmit={apply}
            noValidate
          >
            <FormError form={form} formId={FORM_ID} />
            <Field
              pointer="/q"
              form={form}
              label={t('partnersList.q')}
              hint={t('partnersList.q.hint')}
              class="wide"
            >
              <input
                type="search"
                {...inputProps('/q', form, true)}
                value={draft.value.q ?? ''}
                onInput={(e) => set({ q: e.currentTarget.value })}
              />
            </Field>
            <fieldset
              class="field statuses"
              aria-describedby={form.errors.value['/status'] ? 'f-status-error' : undefined}
            >
              <legend>{t('partnersList.status')}</legend>
              {partnerStatuses.map((s) => (
                <label key={s} class="status-choice">
                  <input
                    type="checkbox"
                    name="/status"
                    value={s}
                    checked={draft.value.statuses.includes(s)}
                    onChange={(e) => toggleStatus(s, e.currentTarget.checked)}
                  />
                  {statusWord(s)}
                </label>
              ))}
              {form.errors.value['/status'] && (
                <p id="f-status-error" class="error">
                  {form.errors.value['/status']}
                </p>
              )}
            </fieldset>
            <Field pointer="/function" form={form} label={t('partnersList.function')}>
              <select
                {...inputProps('/function', form)}
                value={draft.value.function ?? ''}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  set({ function: v === '' ? undefined : (v as ServiceFunction) });
                }}
              >
                <option value="">{t('partnersList.function.any')}</option>
                {serviceFunctions.map((f) => (
                  <option key={f} value={f}>
                    {functionWord(f)}
                  </option>
                ))}
              </select>
            </Field>
            <Field
              pointer="/country"
              form={form}
              label={t('partnersList.country')}
              hint={t('partnersList.country.hint')}
            >
              <input
                type="text"
                maxLength={2}
                autoComplete="country"
                {...inputProps('/country', form, true)}
                value={draft.value.country ?? ''}
                onInput={(e) => set({ country: e.currentTarget.value || undefined })}
              />
            </Field>
            <Field
              pointer="/dueBefore"
              form={form}
              label={t('partnersList.dueBefore')}
              hint={t('partnersList.dueBefore.hint')}
            >
              <input
                type="date"
                {...inputProps('/dueBefore', form, true)}
                value={draft.value.dueBefore ?? ''}
                onInput={(e) => set({ dueBefore: e.currentTarget.value || undefined })}
              />
            </Field>
            <div class="actions">
              <button type="submit">{t('partnersList.apply')}</button>
              {filtered && (
                <a href={hrefOf({ statuses: [] })} onClick={onLinkClick}>
                  {t('partnersList.clear')}
                </a>
              )}
            </div>
          </form>
          {a &&
            (a.matching === 0 ? (
              <section class="empty" aria-labelledby="no-match-title">
                <h2 id="no-match-title">{t('partnersList.noMatch.title')}</h2>
                <p>{t('partnersList.noMatch.body')}</p>
                <p>
                  <a href={hrefOf({ statuses: [] })} onClick={onLinkClick}>
                    {t('partnersList.clear')}
                  </a>
                </p>
              </section>
            ) : (
              <>
                <p class="showing" aria-hidden="true">
                  {showingText(a.offset, a.partners.length, a.matching)}
                </p>
                <div class="table-wrap">
                  <table class="partner-table" aria-busy={loading.value ? 'true' : 'false'}>
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
                      {a.partners.map((p) => (
                        <PartnerRow
                          key={p.partnerId}
                          decision={p}
                          legalName={a.parties[p.partnerId]?.legalName}
                        />
                      ))}
                    </tbody>
                  </table>
                </div>
                <nav class="pager" aria-label={t('partnersList.pages')}>
                  <button
                    type="button"
                    class="secondary"
                    disabled={!a.previous || loading.value}
                    onClick={() => a.previous && setQuery(queryOfFilter({ ...filter, cursor: a.previous }))}
                  >
                    {t('partnersList.previous')}
                  </button>
                  <button
                    type="button"
                    class="secondary"
                    disabled={!a.next || loading.value}
                    onClick={() => a.next && setQuery(queryOfFilter({ ...filter, cursor: a.next }))}
                  >
                    {t('partnersList.next')}
                  </button>
                </nav>
              </>
            ))}
          <p class="hint">{t('partners.pending')}</p>
        </>
      )}
    </main>
  );
}

function PartnerRow({
  decision: p,
  legalName,
}: {
  decision: PartnerDecision;
  legalName: string | undefined;
}) {
  const next = nextObligation(p);
  const basis = basisText(p);
  return (
    <tr>
      <th scope="row">
        <a href={pathTo('/partners/:partnerId', { partnerId: p.partnerId })} onClick={onLinkClick}>
          {legalName ?? p.partnerId}
        </a>
        {legalName !== undefined && <span class="party-id">{p.partnerId}</span>}
      </th>
      <td>
        <StatusBadge status={p.status} />
      </td>
      <td>{p.clauses.join(', ') || t('partners.none')}</td>
      <td class="basis">{basis.length > 0 ? basis.join('; ') : t('partners.none')}</td>
      <td>{p.riskTier ? t(`risk.${p.riskTier}` as MessageKey) : t('partners.none')}</td>
      <td class="next">
        {next ? (
          <>
            <strong>{t(`obligation.${next.code}` as MessageKey)}</strong> ({next.clause}): {next.detail}
          </>
        ) : (
          t('partners.none')
        )}
      </td>
      <td>
        {next?.dueAt ? <time dateTime={next.dueAt}>{formatDate(next.dueAt)}</time> : t('partners.none')}
      </td>
    </tr>
  );
}

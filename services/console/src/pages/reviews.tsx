import { apiGet } from '../api.js';
import { LoadState, useLoad } from '../components/load.js';
import { methodText, overdueText, reasonText, sortTasks } from '../inbox/review-tasks-view.js';
import { formatDate, type MessageKey, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import { onLinkClick, pathTo } from '../router.js';
import '../styles/inbox.css';

/** The security reviews the buyer owes: overdue ones marked, each leading to the partner's page. */
export function ReviewsPage({ session, page }: SignedInProps) {
  const { data: tasks, error } = useLoad(
    async () =>
      sortTasks((await apiGet(session.tokens, '/v1/review-tasks', { query: { state: 'open' } })).tasks),
    [session],
  );

  const list = tasks.value;
  const overdue = list ? overdueText(list) : undefined;
  return (
    <main id="content" tabIndex={-1} class="inbox-page">
      <h1>{t(page.label)}</h1>
      <p class="intro">{t('reviews.intro')}</p>
      <LoadState error={error.value} data={list} title={t('reviews.empty.title')}>
        {t('reviews.empty.body')}
      </LoadState>
      {list && list.length > 0 && (
        <>
          <p class="total">
            {list.length === 1 ? t('reviews.count.one') : t('reviews.count', { count: list.length })}
            {overdue && (
              <>
                {' · '}
                <strong class="inbox-overdue-count">{overdue}</strong>
              </>
            )}
          </p>
          <div class="table-wrap">
            <table>
              <caption>{t('reviews.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('reviews.col.partner')}</th>
                  <th scope="col">{t('reviews.col.due')}</th>
                  <th scope="col">{t('reviews.col.state')}</th>
                  <th scope="col">{t('reviews.col.reason')}</th>
                  <th scope="col">{t('reviews.col.method')}</th>
                  <th scope="col">{t('reviews.col.risk')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((entry) => (
                  <tr key={entry.taskId} class={entry.overdue ? 'inbox-overdue' : undefined}>
                    <th scope="row">
                      <a
                        href={pathTo('/partners/:partnerId', { partnerId: entry.partnerId })}
                        onClick={onLinkClick}
                      >
                        {entry.partnerId}
                      </a>
                    </th>
                    <td>
                      <time dateTime={entry.task.dueAt}>{formatDate(entry.task.dueAt)}</time>
                    </td>
                    <td>
                      {entry.overdue ? (
                        <span class="status status-review-overdue">{t('reviews.overdue')}</span>
                      ) : (
                        <span class="status status-pending-review">{t('reviews.due')}</span>
                      )}
                    </td>
                    <td>{reasonText(entry)}</td>
                    <td>{methodText(entry)}</td>
                    <td>{t(`risk.${entry.task.riskTier}` as MessageKey)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </main>
  );
}

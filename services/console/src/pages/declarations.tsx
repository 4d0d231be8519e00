import { apiGet, type Schemas } from '../api.js';
import { LoadState, useLoad } from '../components/load.js';
import { formatDate, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import { onLinkClick, pathTo } from '../router.js';
import '../styles/declare.css';

type DeclarationView = Schemas['DeclarationView'];

export const declarationPath = (issuer: string, declarationId: string): string =>
  pathTo('/declarations/:issuer/:declarationId', { issuer, declarationId });

export function DeclarationStateBadge({ view }: { view: DeclarationView }) {
  return <span class={`decl-state decl-${view.state}`}>{t(`declarations.state.${view.state}`)}</span>;
}

/** The partner's declarations, newest first, with their state and verification. */
export function DeclarationsPage({ session, page }: SignedInProps) {
  const { data: list, error } = useLoad(
    async () => (await apiGet(session.tokens, '/v1/declarations')).declarations,
    [session],
  );

  return (
    <main id="content" tabIndex={-1}>
      <h1>{t(page.label)}</h1>
      <p class="intro">{t('declarations.intro')}</p>
      <p>
        <a class="button-link" href="/declarations/new" onClick={onLinkClick}>
          {t('declarations.new')}
        </a>
      </p>
      <LoadState error={error.value} data={list.value} title={t('declarations.empty.title')}>
        {t('declarations.empty.body')}
      </LoadState>
      {list.value && list.value.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption>{t('declarations.table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('declarations.col.id')}</th>
                <th scope="col">{t('declarations.col.state')}</th>
                <th scope="col">{t('declarations.col.recipients')}</th>
                <th scope="col">{t('declarations.col.validity')}</th>
                <th scope="col">{t('declarations.col.submitted')}</th>
                <th scope="col">{t('declarations.col.verification')}</th>
              </tr>
            </thead>
            <tbody>
              {list.value.map((d) => (
                <tr key={d.declarationId}>
                  <th scope="row">
                    <a href={declarationPath(d.issuer, d.declarationId)} onClick={onLinkClick}>
                      {d.declarationId}
                    </a>
                  </th>
                  <td>
                    <DeclarationStateBadge view={d} />
                    {d.supersededBy && (
                      <span class="hint"> {t('declarations.supersededBy', { id: d.supersededBy })}</span>
                    )}
                  </td>
                  <td>{d.recipients.join(', ')}</td>
                  <td>
                    {t('declarations.validity', {
                      from: formatDate(d.declaration.validity.from),
                      until: formatDate(d.declaration.validity.until),
                    })}
                  </td>
                  <td>
                    <time dateTime={d.submittedAt}>{formatDate(d.submittedAt)}</time>
                  </td>
                  <td>
                    <span class={`check-status check-status-${d.verification.verdict}`}>
                      {t(`declare.report.status.${d.verification.verdict}`)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </main>
  );
}

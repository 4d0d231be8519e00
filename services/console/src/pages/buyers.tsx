import { useSignal } from '@preact/signals';
import { apiGet, apiRequest } from '../api.js';
import { LoadState, useLoad } from '../components/load.js';
import { type Relationship, sinceOf, sortBuyers } from '../declare/buyers-view.js';
import { scopeText } from '../declare/ui.js';
import { errorText } from '../errors.js';
import { formatDate, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import { onLinkClick } from '../router.js';
import '../styles/declare.css';

/** The partner's buyers: offers to accept or decline, links to end. */
export function BuyersPage({ session, page }: SignedInProps) {
  const { data: list, error } = useLoad(async () => {
    const answer = await apiGet(session.tokens, '/v1/relationships');
    return sortBuyers(answer.relationships.filter((r) => r.partnerId === session.partyId));
  }, [session]);
  const notice = useSignal<string | null>(null);
  const busy = useSignal<string | null>(null);
  const confirming = useSignal<string | null>(null);

  const act = async (r: Relationship, action: 'acceptance' | 'termination') => {
    busy.value = r.relationshipId;
    error.value = null;
    notice.value = null;
    try {
      const path = { relationshipId: r.relationshipId };
      const answer =
        action === 'acceptance'
          ? await apiRequest(session.tokens, 'post', '/v1/relationships/{relationshipId}/acceptance', {
              path,
            })
          : await apiRequest(session.tokens, 'post', '/v1/relationships/{relationshipId}/termination', {
              path,
            });
      // The answer is the link as it now is; the list comes from the status service, which
      // learns of the change a moment later.
      list.value = sortBuyers(
        (list.value ?? []).map((x) => (x.relationshipId === r.relationshipId ? answer.body : x)),
      );
      notice.value =
        action === 'acceptance'
          ? t('buyers.done.accepted', { buyer: r.buyerId })
          : t('buyers.done.ended', { buyer: r.buyerId });
      confirming.value = null;
    } catch (e) {
      error.value = errorText(e);
    } finally {
      busy.value = null;
    }
  };

  const linked = list.value?.some((r) => r.state === 'accepted');
  return (
    <main id="content" tabIndex={-1}>
      <h1>{t(page.label)}</h1>
      <p class="intro">{t('buyers.intro')}</p>
      <div aria-live="polite">{notice.value && <p class="notice">{notice.value}</p>}</div>
      <LoadState error={error.value} data={list.value} title={t('buyers.empty.title')}>
        {t('buyers.empty.body', { partyId: session.partyId })}
      </LoadState>
      {list.value && list.value.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption>{t('buyers.table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('buyers.col.buyer')}</th>
                <th scope="col">{t('buyers.col.scope')}</th>
                <th scope="col">{t('buyers.col.state')}</th>
                <th scope="col">{t('buyers.col.since')}</th>
                <th scope="col">{t('buyers.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.value.map((r) => {
                const since = sinceOf(r);
                const working = busy.value === r.relationshipId;
                return (
                  <tr key={r.relationshipId}>
                    <th scope="row">{r.buyerId}</th>
                    <td>{scopeText(r.scopeOfService)}</td>
                    <td>
                      <span class={`link-state link-${r.state}`}>{t(`buyers.state.${r.state}`)}</span>
                      {r.state === 'ended' && r.endedBy && (
                        <span class="hint"> {t('buyers.endedBy', { who: r.endedBy })}</span>
                      )}
                    </td>
                    <td>
                      {since ? <time dateTime={since}>{formatDate(since)}</time> : t('declaration.none')}
                    </td>
                    <td class="actions">
                      {r.state === 'offered' && (
                        <>
                          <button type="button" disabled={working} onClick={() => void act(r, 'acceptance')}>
                            {t('buyers.accept', { buyer: r.buyerId })}
                          </button>
                          <button
                            type="button"
                            class="secondary"
                            disabled={working}
                            onClick={() => void act(r, 'termination')}
                          >
                            {t('buyers.decline', { buyer: r.buyerId })}
                          </button>
                        </>
                      )}
                      {r.state === 'accepted' && confirming.value !== r.relationshipId && (
                        <button
                          type="button"
                          class="secondary"
                          onClick={() => {
                            confirming.value = r.relationshipId;
                          }}
                        >
                          {t('buyers.end', { buyer: r.buyerId })}
                        </button>
                      )}
                      {r.state === 'accepted' && confirming.value === r.relationshipId && (
                        <fieldset class="confirm">
                          <legend>{t('buyers.confirm', { buyer: r.buyerId })}</legend>
                          <button type="button" disabled={working} onClick={() => void act(r, 'termination')}>
                            {t('buyers.confirm.yes')}
                          </button>
                          <button
                            type="button"
                            class="secondary"
                            onClick={() => {
                              confirming.value = null;
                            }}
                          >
                            {t('buyers.confirm.no')}
                          </button>
                        </fieldset>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {linked && (
        <p>
          <a href="/declarations/new" onClick={onLinkClick}>
            {t('buyers.declare')}
          </a>
        </p>
      )}
    </main>
  );
}

import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { apiGet, apiRequest } from '../api.js';
import { Field, FormError, inputProps, useForm } from '../components/form.js';
import { LoadState, useLoad } from '../components/load.js';
import { StateBadge } from '../issuer/fields.js';
import {
  actionsFor,
  type CertificateView,
  checkReason,
  countByState,
  type EffectiveState,
  effectiveStates,
} from '../issuer/issuer-view.js';
import { formatDate, type MessageKey, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import { onLinkClick, query, setQuery } from '../router.js';
import '../styles/issuer.css';
import { certificateStateWord } from '../vocabulary.js';

type Action = ReturnType<typeof actionsFor>[number];
const FORM = 'status-change';

/** The reason for one status change, with a confirmation step for a withdrawal (it is final). */
function ChangeForm(props: {
  session: SignedInProps['session'];
  view: CertificateView;
  action: Action;
  onDone: (view: CertificateView) => void;
  onCancel: () => void;
}) {
  const form = useForm(['/reason'], FORM);
  const reason = useSignal('');
  const confirming = useSignal(false);
  const { certificate } = props.view;
  useEffect(() => {
    document.getElementById('f-reason')?.focus();
  }, []);
  const send = async () => {
    await form.run(async () => {
      const path = `/v1/certificates/{certificateId}/${props.action}` as const;
      const answer = await apiRequest(props.session.tokens, 'post', path, {
        path: { certificateId: certificate.certificateId },
        body: { reason: reason.value.trim() },
      });
      props.onDone(answer.body);
    });
    confirming.value = false;
  };
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    if (form.refuse({ '/reason': checkReason(reason.value) })) return;
    if (props.action === 'withdrawal' && !confirming.value) {
      confirming.value = true;
      queueMicrotask(() => document.getElementById('confirm-withdrawal')?.focus());
      return;
    }
    await send();
  };
  return (
    <section class="change" aria-labelledby="change-title">
      <h2 id="change-title">
        {t(`attested.change.${props.action}` as MessageKey, {
          number: certificate.number,
          scheme: certificate.schemeId,
        })}
      </h2>
      <form onSubmit={onSubmit} noValidate aria-busy={form.busy.value}>
        <FormError form={form} formId={FORM} />
        <Field pointer="/reason" form={form} label={t('attested.reason')} hint={t('attested.reason.hint')}>
          <input
            {...inputProps('/reason', form, true)}
            value={reason.value}
            maxLength={500}
            onInput={(e) => {
              reason.value = e.currentTarget.value;
              confirming.value = false;
            }}
          />
        </Field>
        {confirming.value ? (
          <div class="confirm" role="alertdialog" aria-labelledby="confirm-text">
            <p id="confirm-text">{t('attested.withdraw.confirm', { number: certificate.number })}</p>
            <div class="buttons">
              <button id="confirm-withdrawal" type="submit" class="danger" disabled={form.busy.value}>
                {t('attested.withdraw.yes')}
              </button>
              <button type="button" class="secondary" onClick={() => (confirming.value = false)}>
                {t('attested.withdraw.no')}
              </button>
            </div>
          </div>
        ) : (
          <div class="buttons">
            <button
              type="submit"
              class={props.action === 'withdrawal' ? 'danger' : ''}
              disabled={form.busy.value}
            >
              {form.busy.value ? t('form.saving') : t(`attested.do.${props.action}` as MessageKey)}
            </button>
            <button type="button" class="secondary" onClick={props.onCancel}>
              {t('attested.cancel')}
            </button>
          </div>
        )}
      </form>
    </section>
  );
}

/** What the issuer attested (GET /v1/certificates?issuer=), filtered by state, scheme and holder. */
export function AttestedPage({ session }: SignedInProps) {
  const schemes = session.party?.issuerOf ?? [];
  const acting = useSignal<{ id: string; action: Action } | null>(null);
  const notice = useSignal<string | null>(null);
  const state = query.value.get('state') ?? '';
  const scheme = query.value.get('scheme') ?? '';
  const holder = query.value.get('holder') ?? '';
  const holderDraft = useSignal(holder);

  const { data: views, error } = useLoad(async () => {
    const answer = await apiGet(session.tokens, '/v1/certificates', {
      query: {
        issuer: session.partyId,
        ...(state ? { state: state as EffectiveState } : {}),
        ...(scheme ? { scheme } : {}),
        ...(holder ? { holder } : {}),
      },
    });
    return answer.certificates;
  }, [session, state, scheme, holder]);

  const filters = (values: Record<string, string>) => setQuery({ state, scheme, holder, ...values });
  const changed = (view: CertificateView) => {
    const action = acting.value?.action;
    acting.value = null;
    // The answer is the certificate as it is now; the list shows it at once.
    views.value = (views.value ?? []).map((v) =>
      v.certificate.certificateId === view.certificate.certificateId ? view : v,
    );
    notice.value = t(`attested.done.${action}` as MessageKey, { number: view.certificate.number });
    queueMicrotask(() => document.getElementById('attested-notice')?.focus());
  };
  const filtered = Boolean(state || scheme || holder);

  return (
    <main id="content" tabIndex={-1}>
      <h1>{t('nav.attested')}</h1>
      <p class="intro">
        {t('attested.intro')}{' '}
        <a href="/attest" onClick={onLinkClick}>
          {t('attested.attestLink')}
        </a>
      </p>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          filters({ holder: holderDraft.value.trim() });
        }}
      >
        <div class="field">
          <label for="filter-state">{t('attested.filter.state')}</label>
          <select id="filter-state" value={state} onChange={(e) => filters({ state: e.currentTarget.value })}>
            <option value="">{t('attested.filter.any')}</option>
            {effectiveStates.map((s) => (
              <option key={s} value={s}>
                {certificateStateWord(s)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-scheme">{t('attested.filter.scheme')}</label>
          <select
            id="filter-scheme"
            value={scheme}
            onChange={(e) => filters({ scheme: e.currentTarget.value })}
          >
            <option value="">{t('attested.filter.any')}</option>
            {schemes.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="filter-holder">{t('attested.filter.holder')}</label>
          <input
            id="filter-holder"
            value={holderDraft.value}
            spellcheck={false}
            onInput={(e) => {
              holderDraft.value = e.currentTarget.value;
            }}
          />
        </div>
        <button type="submit" class="secondary">
          {t('attested.filter.apply')}
        </button>
      </form>
      {notice.value && (
        <p id="attested-notice" class="notice" role="status" tabIndex={-1}>
          {notice.value}
        </p>
      )}
      <LoadState
        error={error.value}
        data={views.value}
        title={filtered ? t('attested.none.title') : t('attested.empty.title')}
      >
        {filtered ? t('attested.none.body') : t('attested.empty.body')}{' '}
        <a href="/attest" onClick={onLinkClick}>
          {t('attested.attestLink')}
        </a>
      </LoadState>
      {views.value && views.value.length > 0 && (
        <>
          <ul class="counts" aria-label={t('attested.counts')}>
            {countByState(views.value).map((c) => (
              <li key={c.state}>
                <StateBadge state={c.state} word={certificateStateWord(c.state)} /> <strong>{c.count}</strong>
              </li>
            ))}
          </ul>
          <div class="table-wrap">
            <table>
              <caption>{t('attested.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('attested.col.number')}</th>
                  <th scope="col">{t('attested.col.scheme')}</th>
                  <th scope="col">{t('attested.col.holder')}</th>
                  <th scope="col">{t('attested.col.state')}</th>
                  <th scope="col">{t('attested.col.validFrom')}</th>
                  <th scope="col">{t('attested.col.validUntil')}</th>
                  <th scope="col">{t('attested.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {views.value.map((v) => {
                  const c = v.certificate;
                  return (
                    <tr key={c.certificateId}>
                      <th scope="row">{c.number}</th>
                      <td>{c.schemeId}</td>
                      <td>{c.holder}</td>
                      <td>
                        <StateBadge state={v.effectiveState} word={certificateStateWord(v.effectiveState)} />
                        {v.keyCheck?.status === 'INVALID' && (
                          <p class="error">{t('attested.keyInvalid', { detail: v.keyCheck.detail ?? '' })}</p>
                        )}
                      </td>
                      <td>
                        <time dateTime={c.validFrom}>{formatDate(c.validFrom)}</time>
                      </td>
                      <td>
                        {c.validUntil ? (
                          <>
                            <time dateTime={c.validUntil}>{formatDate(c.validUntil)}</time>
                            {v.daysToExpiry !== undefined && v.daysToExpiry >= 0 && (
                              <span class="hint"> {t('attested.daysLeft', { days: v.daysToExpiry })}</span>
                            )}
                          </>
                        ) : (
                          t('attested.openEnded')
                        )}
                      </td>
                      <td class="actions">
                        {actionsFor(v).map((action) => (
                          <button
                            key={action}
                            type="button"
                            class={action === 'withdrawal' ? 'secondary danger-outline' : 'secondary'}
                            aria-label={t(`attested.do.${action}.label` as MessageKey, { number: c.number })}
                            onClick={() => {
                              notice.value = null;
                              acting.value = { id: c.certificateId, action };
                            }}
                          >
                            {t(`attested.do.${action}` as MessageKey)}
                          </button>
                        ))}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
      {acting.value &&
        views.value
          ?.filter((v) => v.certificate.certificateId === acting.value?.id)
          .map((v) => (
            <ChangeForm
              key={`${acting.value!.id}-${acting.value!.action}`}
              session={session}
              view={v}
              action={acting.value!.action}
              onDone={changed}
              onCancel={() => (acting.value = null)}
            />
          ))}
    </main>
  );
}

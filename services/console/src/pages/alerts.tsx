import { type Signal, useSignal } from '@preact/signals';
import type { TargetedEvent } from 'preact';
import { useEffect } from 'preact/hooks';
import { apiGet, apiRequest, type Schemas } from '../api.js';
import { FormError, fieldId, inputProps, useForm } from '../components/form.js';
import { useLoad } from '../components/load.js';
import { errorText } from '../errors.js';
import { type Alert, AlertStream, type StreamState } from '../inbox/alert-stream.js';
import { alertText, alertTodo, deliveryErrorText, mergeAlerts } from '../inbox/alert-words.js';
import { formatDate, formatDateTime, type MessageKey, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import { onLinkClick, pathTo } from '../router.js';
import type { Session } from '../session.js';
import '../styles/inbox.css';

type Subscription = Schemas['AlertSubscription'];
type Delivery = Schemas['AlertDelivery'];
type Kind = Alert['kind'];
const KINDS: readonly Kind[] = ['expiring', 'expired', 'suspended', 'reinstated', 'withdrawn', 'renewed'];

function AlertItem(props: {
  alert: Alert;
  fresh: boolean;
  session: Session;
  onChange: (alert: Alert) => void;
}) {
  const { alert } = props;
  const busy = useSignal(false);
  const error = useSignal<string | null>(null);
  const itemId = `alert-${alert.alertId}`;
  const acknowledge = async () => {
    busy.value = true;
    error.value = null;
    try {
      const answer = await apiRequest(props.session.tokens, 'post', '/v1/alerts/{alertId}/acknowledgement', {
        path: { alertId: alert.alertId },
      });
      props.onChange(answer.body);
      // The button is gone: keep the person's place on the alert it acknowledged.
      queueMicrotask(() => document.getElementById(itemId)?.focus());
    } catch (e) {
      error.value = errorText(e);
    } finally {
      busy.value = false;
    }
  };
  return (
    <li
      id={itemId}
      tabIndex={-1}
      class={`inbox-alert inbox-alert-${alert.kind}${alert.acknowledged ? ' inbox-done' : ''}`}
    >
      <p class="inbox-alert-what">
        {props.fresh && !alert.acknowledged && <span class="inbox-badge">{t('alerts.new')}</span>}
        <strong>{alertText(alert)}</strong>
      </p>
      {alert.reason && <p>{t('alerts.reason', { reason: alert.reason })}</p>}
      <p>{alertTodo(alert)}</p>
      <p class="inbox-alert-meta">
        <time dateTime={alert.occurredAt}>
          {t('alerts.occurred', { date: formatDateTime(alert.occurredAt) })}
        </time>
        {' · '}
        <a href={pathTo('/partners/:partnerId', { partnerId: alert.holder })} onClick={onLinkClick}>
          {t('alerts.partner', { holder: alert.holder })}
        </a>
      </p>
      {alert.acknowledged ? (
        <p class="inbox-alert-meta">
          {t('alerts.acknowledged', {
            date: alert.acknowledgedAt ? formatDateTime(alert.acknowledgedAt) : '',
          })}
        </p>
      ) : (
        <button
          type="button"
          class="secondary"
          disabled={busy.value}
          aria-label={t('alerts.acknowledge.label', { number: alert.number })}
          onClick={() => void acknowledge()}
        >
          {t('alerts.acknowledge')}
        </button>
      )}
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
    </li>
  );
}

function StreamLine({ state, failure }: { state: StreamState; failure: string | null }) {
  if (state === 'failed')
    return <p class="error inbox-live-line">{t('alerts.live.failed', { detail: failure ?? '' })}</p>;
  return (
    <p class={`inbox-live-line inbox-live-${state}`}>
      <span class="inbox-dot" aria-hidden="true" />
      {t(`alerts.live.${state}` as MessageKey)}
    </p>
  );
}

function Inbox({ session }: { session: Session }) {
  const alerts = useSignal<Alert[] | null>(null);
  const fresh = useSignal<ReadonlySet<string>>(new Set());
  const error = useSignal<string | null>(null);
  const state = useSignal<StreamState>('connecting');
  const failure = useSignal<string | null>(null);
  const announcement = useSignal('');

  useEffect(() => {
    let live = true;
    let fallback = false;
    const arrived: Alert[] = [];
    const load = () => {
      apiGet(session.tokens, '/v1/alerts', { query: { limit: '200' } })
        .then((answer) => {
          if (live) alerts.value = mergeAlerts(answer.alerts, alerts.value ?? []);
        })
        .catch((e: unknown) => {
          if (live) error.value = errorText(e);
        });
    };
    // The stream first, then the list: an alert made in between is in one or the other (or
    // both, merged by id), never in neither. A stream that cannot open leaves the inbox
    // without live updates, not without its alerts.
    const stream = new AlertStream({
      tokens: session.tokens,
      onState: (s, e) => {
        if (!live) return;
        state.value = s;
        if (e) failure.value = errorText(e);
        if ((s === 'failed' || s === 'reconnecting') && alerts.value === null && !fallback) {
          fallback = true;
          load();
        }
      },
      onOpen: load,
      onAlert: (alert) => {
        if (!live) return;
        const known = alerts.value?.some((a) => a.alertId === alert.alertId);
        alerts.value = mergeAlerts(alerts.value ?? [], [alert]);
        if (!known) {
          fresh.value = new Set([...fresh.value, alert.alertId]);
          // Alerts that arrive together (the backlog after a reconnection) are announced once.
          arrived.push(alert);
          if (arrived.length === 1)
            queueMicrotask(() => {
              const latest = arrived.at(-1)!;
              announcement.value =
                arrived.length === 1
                  ? t('alerts.announce.one', { text: alertText(latest) })
                  : t('alerts.announce.many', { count: arrived.length, text: alertText(latest) });
              arrived.length = 0;
            });
        }
      },
    });
    stream.start();
    return () => {
      live = false;
      stream.close();
    };
  }, [session]);

  const list = alerts.value;
  const unread = list?.filter((a) => !a.acknowledged).length ?? 0;
  const onChange = (changed: Alert) => {
    alerts.value = mergeAlerts(alerts.value ?? [], [changed]);
  };
  return (
    <section aria-labelledby="inbox-title">
      <h2 id="inbox-title">{t('alerts.inbox')}</h2>
      <StreamLine state={state.value} failure={failure.value} />
      {/* Announced politely: a new alert does not interrupt what the person is reading. */}
      <p class="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement.value}
      </p>
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
      {!error.value && list === null && <p>{t('app.loading')}</p>}
      {list?.length === 0 && (
        <div class="empty">
          <h3>{t('alerts.empty.title')}</h3>
          <p>{t('alerts.empty.body')}</p>
        </div>
      )}
      {list && list.length > 0 && (
        <>
          <p class="total">
            {unread === 0
              ? t('alerts.unread.none')
              : unread === 1
                ? t('alerts.unread.one')
                : t('alerts.unread', { count: unread })}
          </p>
          <ul class="inbox-alert-list" aria-labelledby="inbox-title">
            {list.map((a) => (
              <AlertItem
                key={a.alertId}
                alert={a}
                fresh={fresh.value.has(a.alertId)}
                session={session}
                onChange={onChange}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

const FIELDS = ['/url', '/kinds'] as const;

function Webhooks({ session, status }: { session: Session; status: Signal<string> }) {
  const { data: subscriptions, error } = useLoad(
    async () => (await apiGet(session.tokens, '/v1/alert-subscriptions')).subscriptions,
    [session],
  );
  const url = useSignal('');
  const kinds = useSignal<readonly Kind[]>([]);
  const form = useForm(FIELDS, 'webhook-form');
  const removing = useSignal<string | null>(null);

  const add = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const address = url.value.trim();
    if (form.refuse({ '/url': address ? undefined : t('alerts.webhooks.url.missing') })) return;
    await form.run(async () => {
      const answer = await apiRequest(session.tokens, 'post', '/v1/alert-subscriptions', {
        body: { url: address, ...(kinds.value.length > 0 ? { kinds: [...kinds.value] } : {}) },
      });
      subscriptions.value = [...(subscriptions.value ?? []), answer.body];
      url.value = '';
      kinds.value = [];
      status.value = t('alerts.webhooks.added', { url: answer.body.url });
    });
  };

  const remove = async (sub: Subscription) => {
    removing.value = sub.subscriptionId;
    error.value = null;
    try {
      await apiRequest(session.tokens, 'delete', '/v1/alert-subscriptions/{subscriptionId}', {
        path: { subscriptionId: sub.subscriptionId },
      });
      subscriptions.value = (subscriptions.value ?? []).filter(
        (s) => s.subscriptionId !== sub.subscriptionId,
      );
      status.value = t('alerts.webhooks.removed', { url: sub.url });
      queueMicrotask(() => document.getElementById('webhooks-title')?.focus());
    } catch (e) {
      error.value = errorText(e);
    } finally {
      removing.value = null;
    }
  };

  const list = subscriptions.value;
  const kindsError = form.errors.value['/kinds'];
  const urlProps = inputProps('/url', form, true);
  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title" tabIndex={-1}>
        {t('alerts.webhooks')}
      </h2>
      <p class="intro">{t('alerts.webhooks.intro')}</p>
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
      {list?.length === 0 && <p class="empty">{t('alerts.webhooks.none')}</p>}
      {list && list.length > 0 && (
        <>
          <div class="table-wrap">
            <table>
              <caption>{t('alerts.webhooks.table')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('alerts.webhooks.col.url')}</th>
                  <th scope="col">{t('alerts.webhooks.col.kinds')}</th>
                  <th scope="col">{t('alerts.webhooks.col.added')}</th>
                  <th scope="col">{t('alerts.webhooks.col.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <tr key={s.subscriptionId}>
                    <th scope="row" class="inbox-url">
                      {s.url}
                    </th>
                    <td>
                      {s.kinds.length === 0
                        ? t('alerts.webhooks.allKinds')
                        : s.kinds.map((k) => t(`alerts.kindName.${k}` as MessageKey)).join(', ')}
                    </td>
                    <td>
                      <time dateTime={s.createdAt}>{formatDate(s.createdAt)}</time>
                    </td>
                    <td>
                      <button
                        type="button"
                        class="secondary"
                        disabled={removing.value === s.subscriptionId}
                        aria-label={t('alerts.webhooks.remove.label', { url: s.url })}
                        onClick={() => void remove(s)}
                      >
                        {t('alerts.webhooks.remove')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="hint inbox-key">
            {t('alerts.webhooks.key', { key: list[0]!.webhookPublicKey, kid: list[0]!.webhookKeyId })}
          </p>
        </>
      )}
      <form id="webhook-form" class="inbox-webhook-form" noValidate onSubmit={(e) => void add(e)}>
        <h3>{t('alerts.webhooks.add')}</h3>
        <FormError form={form} formId="webhook-form" />
        <div class="field">
          <label for={urlProps.id}>{t('alerts.webhooks.url')}</label>
          <input
            type="url"
            inputMode="url"
            autoComplete="url"
            value={url.value}
            onInput={(e) => {
              url.value = e.currentTarget.value;
            }}
            {...urlProps}
          />
          <p id={`${urlProps.id}-hint`} class="hint">
            {t('alerts.webhooks.url.hint')}
          </p>
          {form.errors.value['/url'] && (
            <p id={`${urlProps.id}-error`} class="error">
              {form.errors.value['/url']}
            </p>
          )}
        </div>
        <fieldset
          id={fieldId('/kinds')}
          tabIndex={-1}
          class="inbox-kinds"
          aria-describedby={`${fieldId('/kinds')}-hint${kindsError ? ` ${fieldId('/kinds')}-error` : ''}`}
        >
          <legend>{t('alerts.webhooks.kinds')}</legend>
          {KINDS.map((k) => (
            <label key={k} class="inbox-kind">
              <input
                type="checkbox"
                name="/kinds"
                value={k}
                checked={kinds.value.includes(k)}
                onChange={(e) => {
                  kinds.value = e.currentTarget.checked
                    ? [...kinds.value, k]
                    : kinds.value.filter((x) => x !== k);
                }}
              />{' '}
              {t(`alerts.kindName.${k}` as MessageKey)}
            </label>
          ))}
          <p id={`${fieldId('/kinds')}-hint`} class="hint">
            {t('alerts.webhooks.kinds.hint')}
          </p>
          {kindsError && (
            <p id={`${fieldId('/kinds')}-error`} class="error">
              {kindsError}
            </p>
          )}
        </fieldset>
        <button type="submit" disabled={form.busy.value}>
          {form.busy.value ? t('form.saving') : t('alerts.webhooks.submit')}
        </button>
      </form>
    </section>
  );
}

function DeadDeliveries({ session, status }: { session: Session; status: Signal<string> }) {
  const { data: deliveries, error } = useLoad(
    async () =>
      (await apiGet(session.tokens, '/v1/alert-deliveries', { query: { state: 'dead' } })).deliveries,
    [session],
  );
  const retrying = useSignal<string | null>(null);

  const retry = async (delivery: Delivery) => {
    retrying.value = delivery.deliveryId;
    error.value = null;
    try {
      await apiRequest(session.tokens, 'post', '/v1/alert-deliveries/{deliveryId}/retry', {
        path: { deliveryId: delivery.deliveryId },
      });
      deliveries.value = (deliveries.value ?? []).filter((d) => d.deliveryId !== delivery.deliveryId);
      status.value = t('alerts.dead.retried', { id: delivery.deliveryId });
      queueMicrotask(() => document.getElementById('dead-title')?.focus());
    } catch (e) {
      error.value = errorText(e);
    } finally {
      retrying.value = null;
    }
  };

  const list = deliveries.value;
  return (
    <section aria-labelledby="dead-title">
      <h2 id="dead-title" tabIndex={-1}>
        {t('alerts.dead')}
      </h2>
      <p class="intro">{t('alerts.dead.intro')}</p>
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
      {list?.length === 0 && <p class="empty">{t('alerts.dead.none')}</p>}
      {list && list.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption>{t('alerts.dead.table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('alerts.dead.col.url')}</th>
                <th scope="col">{t('alerts.dead.col.alerts')}</th>
                <th scope="col">{t('alerts.dead.col.attempts')}</th>
                <th scope="col">{t('alerts.dead.col.error')}</th>
                <th scope="col">{t('alerts.dead.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((d) => (
                <tr key={d.deliveryId}>
                  <th scope="row" class="inbox-url">
                    {d.url}
                  </th>
                  <td>{d.alertIds.length}</td>
                  <td>{d.attempts}</td>
                  <td>{deliveryErrorText(d)}</td>
                  <td>
                    <button
                      type="button"
                      class="secondary"
                      disabled={retrying.value === d.deliveryId}
                      aria-label={t('alerts.dead.retry.label', { id: d.deliveryId })}
                      onClick={() => void retry(d)}
                    >
                      {t('alerts.dead.retry')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The buyer's alerts: the inbox, live; its webhooks; deliveries that failed for good. */
export function AlertsPage({ session, page }: SignedInProps) {
  // What the last action did, said once (role=status).
  const status = useSignal('');
  return (
    <main id="content" tabIndex={-1} class="inbox-page inbox-alerts-page">
      <h1>{t(page.label)}</h1>
      <p class="intro">{t('alerts.intro')}</p>
      <p role="status" class="inbox-action-status">
        {status.value}
      </p>
      <Inbox session={session} />
      <Webhooks session={session} status={status} />
      <DeadDeliveries session={session} status={status} />
    </main>
  );
}

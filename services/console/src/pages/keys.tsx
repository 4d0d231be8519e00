import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { apiGet, apiRequest, type Schemas } from '../api.js';
import { Field, FormError, inputProps, useForm } from '../components/form.js';
import { LoadState, useLoad } from '../components/load.js';
import { CheckGroup } from '../issuer/fields.js';
import {
  algorithmOf,
  type KeyState,
  keyCondition,
  type PublicJwk,
  purposesText,
  sortKeys,
  withKey,
} from '../issuer/issuer-view.js';
import { formatDate, type MessageKey, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import '../styles/issuer.css';
import { keyPurposes, type Purpose } from '../vocabulary.js';
import { PublicKeyField } from './parties.js';

type Reason = Schemas['KeyRevocation']['reason'];
const reasons: readonly Reason[] = ['retired', 'superseded', 'compromised'];

/** Revokes one key, after the person chose a reason and confirmed. */
function RevokeForm(props: {
  session: SignedInProps['session'];
  kid: string;
  onDone: (key: KeyState) => void;
  onCancel: () => void;
}) {
  const form = useForm(['/reason'], 'revoke');
  const reason = useSignal<Reason>('retired');
  useEffect(() => {
    document.getElementById('f-reason')?.focus();
  }, []);
  const onSubmit = async (event: Event) => {
    event.preventDefault();
    await form.run(async () => {
      const answer = await apiRequest(
        props.session.tokens,
        'post',
        '/v1/parties/{partyId}/keys/{kid}/revocation',
        {
          path: { partyId: props.session.partyId, kid: props.kid },
          body: { reason: reason.value },
        },
      );
      props.onDone(answer.body);
    });
  };
  return (
    <section class="change" aria-labelledby="revoke-title">
      <h2 id="revoke-title">{t('keys.revoke.title', { kid: props.kid })}</h2>
      <p>{t('keys.revoke.body')}</p>
      <form onSubmit={onSubmit} noValidate aria-busy={form.busy.value}>
        <FormError form={form} formId="revoke" />
        <Field pointer="/reason" form={form} label={t('keys.revoke.reason')}>
          <select
            {...inputProps('/reason', form)}
            value={reason.value}
            onChange={(e) => {
              reason.value = e.currentTarget.value as Reason;
            }}
          >
            {reasons.map((r) => (
              <option key={r} value={r}>
                {t(`keys.reason.${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </Field>
        <div class="buttons">
          <button type="submit" class="danger" disabled={form.busy.value}>
            {t('keys.revoke.submit', { kid: props.kid })}
          </button>
          <button type="button" class="secondary" onClick={props.onCancel}>
            {t('attested.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}

/** A party's sign-in keys: those registered, a staff member's public key added, one revoked. */
export function KeysPage({ session }: SignedInProps) {
  const { data: keys, error } = useLoad(
    async () =>
      (await apiGet(session.tokens, '/v1/parties/{partyId}', { path: { partyId: session.partyId } })).keys,
    [session],
    { initial: session.party?.keys ?? null },
  );
  const revoking = useSignal<string | null>(null);
  const notice = useSignal<string | null>(null);
  const form = useForm(['', '/purposes'], 'add-key');
  const file = useSignal<PublicJwk[] | null>(null);
  const chosen = useSignal<readonly Purpose[]>(['authentication']);
  const fileKey = useSignal(0);

  // A key file that says its purposes (pdx keygen --purpose) sets the boxes.
  useEffect(() => {
    const said = file.value?.[0]?.purposes;
    if (said) chosen.value = [...said];
  }, [file.value]);

  const changed = (key: KeyState, message: MessageKey) => {
    keys.value = withKey(keys.value ?? [], key);
    notice.value = t(message, { kid: key.jwk.kid });
    queueMicrotask(() => document.getElementById('keys-notice')?.focus());
  };

  const onAdd = async (event: Event) => {
    event.preventDefault();
    notice.value = null;
    const found: Record<string, string | undefined> = {};
    // The body is the JWK itself: every pointer of a problem but /purposes is about the file.
    if (!file.value) found[''] = form.errors.value[''] ?? t('keys.error.file');
    else if (file.value.length !== 1) found[''] = t('keys.error.oneKey');
    if (chosen.value.length === 0) found['/purposes'] = t('keys.error.purposes');
    if (form.refuse(found)) return;
    const jwk = file.value![0]!;
    await form.run(async () => {
      const answer = await apiRequest(session.tokens, 'post', '/v1/parties/{partyId}/keys', {
        path: { partyId: session.partyId },
        body: { ...jwk, purposes: keyPurposes.filter((p) => chosen.value.includes(p)) },
      });
      file.value = null;
      fileKey.value++;
      chosen.value = ['authentication'];
      changed(answer.body, 'keys.added');
    });
  };

  const now = Date.now();
  return (
    <main id="content" tabIndex={-1}>
      <h1>{t('nav.keys')}</h1>
      <p class="intro">{t('keys.intro')}</p>
      {notice.value && (
        <p id="keys-notice" class="notice" role="status" tabIndex={-1}>
          {notice.value}
        </p>
      )}
      <LoadState error={error.value} data={keys.value} />
      {keys.value && (
        <div class="table-wrap">
          <table>
            <caption>{t('keys.table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('keys.col.kid')}</th>
                <th scope="col">{t('keys.col.alg')}</th>
                <th scope="col">{t('keys.col.purposes')}</th>
                <th scope="col">{t('keys.col.added')}</th>
                <th scope="col">{t('keys.col.state')}</th>
                <th scope="col">{t('keys.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {sortKeys(keys.value, now).map((k) => {
                const condition = keyCondition(k, now);
                return (
                  <tr key={k.jwk.kid}>
                    <th scope="row">
                      <code>{k.jwk.kid}</code>
                    </th>
                    <td>{algorithmOf(k.jwk)}</td>
                    <td>{purposesText(k.purposes)}</td>
                    <td>
                      <time dateTime={k.addedAt}>{formatDate(k.addedAt)}</time>
                    </td>
                    <td>
                      <span class={`status key-${condition}`}>
                        {t(`keys.state.${condition}` as MessageKey)}
                      </span>
                      {k.revokedFrom && (
                        <span class="hint">
                          {' '}
                          {t('keys.revokedFrom', {
                            date: formatDate(k.revokedFrom),
                            reason: k.revocationReason
                              ? t(`keys.reason.${k.revocationReason}` as MessageKey)
                              : '',
                          })}
                        </span>
                      )}
                    </td>
                    <td>
                      {condition === 'active' && (
                        <button
                          type="button"
                          class="secondary"
                          aria-label={t('keys.revoke.label', { kid: k.jwk.kid })}
                          onClick={() => {
                            notice.value = null;
                            revoking.value = k.jwk.kid;
                          }}
                        >
                          {t('keys.revoke')}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {revoking.value && (
        <RevokeForm
          key={revoking.value}
          session={session}
          kid={revoking.value}
          onCancel={() => (revoking.value = null)}
          onDone={(key) => {
            revoking.value = null;
            changed(key, 'keys.revoked');
          }}
        />
      )}
      <section class="add-key" aria-labelledby="add-title">
        <h2 id="add-title">{t('keys.add.title')}</h2>
        <ol class="steps">
          <li>
            {t('keys.add.step1')}
            <pre>
              <code>{t('keys.add.command')}</code>
            </pre>
          </li>
          <li>{t('keys.add.step2')}</li>
          <li>{t('keys.add.step3')}</li>
        </ol>
        <form onSubmit={onAdd} noValidate aria-busy={form.busy.value} class="issuer-form">
          <FormError form={form} formId="add-key" />
          <PublicKeyField
            key={fileKey.value}
            pointer=""
            form={form}
            keys={file}
            label={t('keys.add.file')}
            hint={t('keys.add.file.hint')}
          />
          <CheckGroup
            pointer="/purposes"
            form={form}
            legend={t('keys.add.purposes')}
            hint={t('keys.add.purposes.hint')}
            options={keyPurposes}
            label={(p) => t(`keys.purpose.${p}` as MessageKey)}
            value={chosen}
          />
          <button type="submit" disabled={form.busy.value}>
            {form.busy.value ? t('form.saving') : t('keys.add.submit')}
          </button>
        </form>
      </section>
    </main>
  );
}

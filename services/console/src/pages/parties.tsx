import { useSignal } from '@preact/signals';
import type { TargetedEvent } from 'preact';
import { apiRequest, type PartyView } from '../api.js';
import { Field, FormError, inputProps, useForm } from '../components/form.js';
import { errorText } from '../errors.js';
import { CheckGroup } from '../issuer/fields.js';
import { checkParty, type PublicJwk, parsePublicKeys, partyRegistration } from '../issuer/issuer-view.js';
import { formatDate, type MessageKey, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import '../styles/issuer.css';
import { identifierSchemes, type PartyRole, partyRoles } from '../vocabulary.js';

const FORM = 'party';
const POINTERS = [
  '/partyId',
  '/legalName',
  '/country',
  '/roles',
  '/identifiers',
  '/issuerOf',
  '/jwks',
] as const;

/**
 * A public key file for a registration, read in the browser: a private key picked by mistake is
 * refused here and never sent.
 */
export function PublicKeyField(props: {
  pointer: string;
  form: ReturnType<typeof useForm>;
  keys: { value: PublicJwk[] | null };
  label: string;
  hint: string;
}) {
  const onChange = async (event: TargetedEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    props.keys.value = null;
    const { [props.pointer]: _gone, ...rest } = props.form.errors.value;
    props.form.errors.value = rest;
    if (!file) return;
    try {
      props.keys.value = parsePublicKeys(await file.text());
    } catch (error) {
      props.form.errors.value = { ...props.form.errors.value, [props.pointer]: errorText(error) };
    }
  };
  return (
    <Field pointer={props.pointer} form={props.form} label={props.label} hint={props.hint}>
      <input
        type="file"
        accept=".json,application/json,application/jwk-set+json"
        onChange={onChange}
        {...inputProps(props.pointer, props.form, true)}
      />
      {props.keys.value && (
        <p class="hint">{t('parties.keysRead', { kids: props.keys.value.map((k) => k.kid).join(', ') })}</p>
      )}
    </Field>
  );
}

/** The operator registers a party (POST /v1/parties) with its public keys. */
export function PartiesPage({ session }: SignedInProps) {
  const form = useForm(POINTERS, FORM);
  const partyId = useSignal('');
  const legalName = useSignal('');
  const country = useSignal('');
  const roles = useSignal<readonly PartyRole[]>([]);
  const identifiers = useSignal('');
  const issuerOf = useSignal('');
  const keys = useSignal<PublicJwk[] | null>(null);
  const done = useSignal<PartyView | null>(null);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    done.value = null;
    const input = {
      partyId: partyId.value,
      legalName: legalName.value,
      country: country.value,
      roles: roles.value,
      identifiers: identifiers.value,
      issuerOf: issuerOf.value,
      keys: keys.value,
    };
    const found = checkParty(input);
    if (form.errors.value['/jwks'] && !keys.value) found['/jwks'] = form.errors.value['/jwks'];
    if (form.refuse(found)) return;
    await form.run(async () => {
      const answer = await apiRequest(session.tokens, 'post', '/v1/parties', {
        body: partyRegistration(input),
      });
      done.value = answer.body;
      queueMicrotask(() => document.getElementById('party-done')?.focus());
    });
  };

  const text = (signal: { value: string }, pointer: string, hint = false) => ({
    ...inputProps(pointer, form, hint),
    value: signal.value,
    onInput: (e: Event) => {
      signal.value = (e.currentTarget as HTMLInputElement).value;
    },
  });

  return (
    <main id="content" tabIndex={-1}>
      <h1>{t('nav.parties')}</h1>
      <p class="intro">{t('parties.intro')}</p>
      <form onSubmit={onSubmit} noValidate aria-busy={form.busy.value} class="issuer-form">
        <h2>{t('parties.form.title')}</h2>
        <FormError form={form} formId={FORM} />
        <Field pointer="/partyId" form={form} label={t('parties.partyId')} hint={t('parties.partyId.hint')}>
          <input {...text(partyId, '/partyId', true)} spellcheck={false} autocomplete="off" />
        </Field>
        <Field pointer="/legalName" form={form} label={t('parties.legalName')}>
          <input {...text(legalName, '/legalName')} autocomplete="organization" />
        </Field>
        <Field pointer="/country" form={form} label={t('parties.country')} hint={t('parties.country.hint')}>
          <input {...text(country, '/country', true)} maxLength={2} class="short" autocomplete="country" />
        </Field>
        <CheckGroup
          pointer="/roles"
          form={form}
          legend={t('parties.roles')}
          options={partyRoles}
          label={(r) => t(`parties.role.${r}` as MessageKey)}
          value={roles}
        />
        {roles.value.includes('issuer') && (
          <Field
            pointer="/issuerOf"
            form={form}
            label={t('parties.issuerOf')}
            hint={t('parties.issuerOf.hint')}
          >
            <input {...text(issuerOf, '/issuerOf', true)} spellcheck={false} autocomplete="off" />
          </Field>
        )}
        <Field
          pointer="/identifiers"
          form={form}
          label={t('parties.identifiers')}
          hint={t('parties.identifiers.hint', { schemes: identifierSchemes.join(', ') })}
        >
          <textarea
            {...inputProps('/identifiers', form, true)}
            rows={3}
            spellcheck={false}
            value={identifiers.value}
            onInput={(e) => {
              identifiers.value = e.currentTarget.value;
            }}
          />
        </Field>
        <PublicKeyField
          pointer="/jwks"
          form={form}
          keys={keys}
          label={t('parties.jwks')}
          hint={t('parties.jwks.hint')}
        />
        <button type="submit" disabled={form.busy.value}>
          {form.busy.value ? t('form.saving') : t('parties.submit')}
        </button>
      </form>
      {done.value && (
        <section id="party-done" class="done" aria-labelledby="party-done-title" tabIndex={-1} role="status">
          <h2 id="party-done-title">{t('parties.done.title', { partyId: done.value.partyId })}</h2>
          <dl class="facts">
            <dt>{t('parties.legalName')}</dt>
            <dd>{done.value.legalName}</dd>
            <dt>{t('parties.roles')}</dt>
            <dd>{done.value.roles.map((r) => t(`parties.role.${r}` as MessageKey)).join(', ')}</dd>
            {done.value.issuerOf && (
              <>
                <dt>{t('parties.issuerOf')}</dt>
                <dd>{done.value.issuerOf.join(', ')}</dd>
              </>
            )}
            <dt>{t('parties.done.keys')}</dt>
            <dd>{done.value.keys.map((k) => k.jwk.kid).join(', ')}</dd>
            <dt>{t('parties.done.registeredAt')}</dt>
            <dd>
              <time dateTime={done.value.registeredAt}>{formatDate(done.value.registeredAt)}</time>
            </dd>
          </dl>
          <p>{t('parties.done.next')}</p>
        </section>
      )}
    </main>
  );
}

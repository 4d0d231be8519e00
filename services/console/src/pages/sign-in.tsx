import { useSignal } from '@preact/signals';
import type { TargetedEvent } from 'preact';
import { LanguageSwitch } from '../components/language.js';
import { errorText } from '../errors.js';
import { type KeyFile, parseKeyFile } from '../keys.js';
import { t } from '../messages.js';
import { onLinkClick } from '../router.js';
import { sessionEnded, signIn } from '../session.js';
import { SignInError } from '../tokens.js';

type Field = 'partyId' | 'keyFile';

const PARTY_ID = /^[a-z0-9][a-z0-9-]{1,63}$/;

export function SignIn() {
  const partyId = useSignal('');
  const keyFile = useSignal<KeyFile | null>(null);
  const remember = useSignal(false);
  const busy = useSignal(false);
  const errors = useSignal<Partial<Record<Field | 'form', string>>>({});

  const onFile = async (event: TargetedEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    keyFile.value = null;
    const { keyFile: _k, ...rest } = errors.value;
    errors.value = rest;
    if (!file) return;
    try {
      keyFile.value = parseKeyFile(await file.text());
    } catch (error) {
      errors.value = { ...errors.value, keyFile: errorText(error) };
    }
  };

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    const found: Partial<Record<Field | 'form', string>> = {};
    const id = partyId.value.trim();
    if (!id) found.partyId = t('error.partyId.missing');
    else if (!PARTY_ID.test(id)) found.partyId = t('error.partyId.pattern');
    if (!keyFile.value) found.keyFile = errors.value.keyFile ?? t('error.keyFile.missing');
    errors.value = found;
    if (Object.keys(found).length > 0) {
      document.getElementById(found.partyId ? 'party-id' : 'key-file')?.focus();
      return;
    }
    busy.value = true;
    try {
      await signIn(id, keyFile.value!, remember.value);
    } catch (error) {
      const field = error instanceof SignInError ? error.field : undefined;
      errors.value = { [field ?? 'form']: errorText(error) };
      document.getElementById(field === 'partyId' ? 'party-id' : field ? 'key-file' : 'form-error')?.focus();
    } finally {
      busy.value = false;
    }
  };

  const described = (field: Field) => `${field}-hint${errors.value[field] ? ` ${field}-error` : ''}`;

  return (
    <main id="content" class="sign-in" tabIndex={-1}>
      <h1>{t('signIn.title')}</h1>
      <p class="intro">{t('signIn.intro')}</p>
      {sessionEnded.value && (
        <p class="error" role="alert">
          {t('error.session.lost', { detail: sessionEnded.value })}
        </p>
      )}
      <form onSubmit={onSubmit} noValidate aria-busy={busy.value}>
        <div class="field">
          <label for="party-id">{t('signIn.partyId')}</label>
          <input
            id="party-id"
            name="partyId"
            autocomplete="username"
            spellcheck={false}
            value={partyId.value}
            onInput={(e) => {
              partyId.value = e.currentTarget.value;
            }}
            aria-invalid={errors.value.partyId ? 'true' : 'false'}
            aria-describedby={described('partyId')}
          />
          <p id="partyId-hint" class="hint">
            {t('signIn.partyId.hint')}
          </p>
          {errors.value.partyId && (
            <p id="partyId-error" class="error">
              {errors.value.partyId}
            </p>
          )}
        </div>
        <div class="field">
          <label for="key-file">{t('signIn.keyFile')}</label>
          <input
            id="key-file"
            name="keyFile"
            type="file"
            accept=".json,application/json"
            onChange={onFile}
            aria-invalid={errors.value.keyFile ? 'true' : 'false'}
            aria-describedby={described('keyFile')}
          />
          <p id="keyFile-hint" class="hint">
            {t('signIn.keyFile.hint')}
          </p>
          {errors.value.keyFile && (
            <p id="keyFile-error" class="error">
              {errors.value.keyFile}
            </p>
          )}
        </div>
        <div class="field check">
          <input
            id="remember"
            type="checkbox"
            checked={remember.value}
            onChange={(e) => {
              remember.value = e.currentTarget.checked;
            }}
            aria-describedby="remember-hint"
          />
          <label for="remember">{t('signIn.remember')}</label>
          <p id="remember-hint" class="hint">
            {t('signIn.remember.hint')}
          </p>
        </div>
        {errors.value.form && (
          <p id="form-error" class="error" role="alert" tabIndex={-1}>
            {errors.value.form}
          </p>
        )}
        <button type="submit" disabled={busy.value}>
          {busy.value ? t('signIn.busy') : t('signIn.submit')}
        </button>
      </form>
      <p class="aside">
        {t('signIn.verify')}{' '}
        <a href="/verify" onClick={onLinkClick}>
          {t('signIn.verify.link')}
        </a>
        .
      </p>
      <div class="sign-in-language">
        <LanguageSwitch />
      </div>
    </main>
  );
}

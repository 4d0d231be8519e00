import { useSignal } from '@preact/signals';
import type { TargetedEvent } from 'preact';
import { apiGet } from '../api.js';
import { Field, FormError, inputProps, useForm } from '../components/form.js';
import { t } from '../messages.js';
import type { Session } from '../session.js';
import { type CertificateStatus, lookupText } from './certificates-view.js';

const FIELDS = ['/scheme', '/number'] as const;

/**
 * A status-verification lookup (GET /v1/certificate-status): any certificate by scheme and
 * number, the exchange's refusal of either shown next to its field.
 */
export function CertificateLookup({ session }: { session: Session }) {
  const scheme = useSignal('');
  const number = useSignal('');
  const found = useSignal<CertificateStatus | null>(null);
  const form = useForm(FIELDS, 'lookup-form');

  const submit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    found.value = null;
    const s = scheme.value.trim();
    const n = number.value.trim();
    if (
      form.refuse({
        '/scheme': s ? undefined : t('certificates.lookup.scheme.missing'),
        '/number': n ? undefined : t('certificates.lookup.number.missing'),
      })
    )
      return;
    await form.run(async () => {
      found.value = await apiGet(session.tokens, '/v1/certificate-status', {
        query: { scheme: s, number: n },
      });
    });
  };

  return (
    <section class="inbox-lookup" aria-labelledby="lookup-title">
      <h2 id="lookup-title">{t('certificates.lookup')}</h2>
      <p class="intro">{t('certificates.lookup.intro')}</p>
      <form id="lookup-form" noValidate onSubmit={(e) => void submit(e)}>
        <FormError form={form} formId="lookup-form" />
        <div class="inbox-lookup-fields">
          <Field
            pointer="/scheme"
            form={form}
            label={t('certificates.lookup.scheme')}
            hint={t('certificates.lookup.scheme.hint')}
          >
            <input
              type="text"
              autoComplete="off"
              spellcheck={false}
              value={scheme.value}
              onInput={(e) => {
                scheme.value = e.currentTarget.value;
              }}
              {...inputProps('/scheme', form, true)}
            />
          </Field>
          <Field
            pointer="/number"
            form={form}
            label={t('certificates.lookup.number')}
            hint={t('certificates.lookup.number.hint')}
          >
            <input
              type="text"
              autoComplete="off"
              spellcheck={false}
              value={number.value}
              onInput={(e) => {
                number.value = e.currentTarget.value;
              }}
              {...inputProps('/number', form, true)}
            />
          </Field>
        </div>
        <button type="submit" disabled={form.busy.value}>
          {form.busy.value ? t('certificates.lookup.busy') : t('certificates.lookup.submit')}
        </button>
      </form>
      <div role="status" class="inbox-lookup-result">
        {found.value && lookupText(found.value).map((line) => <p key={line}>{line}</p>)}
      </div>
    </section>
  );
}

import { useSignal } from '@preact/signals';
import { ApiError, apiRequest, type Schemas } from '../api.js';
import { Field, FormError, inputProps, KeyFileField, useForm } from '../components/form.js';
import { CheckGroup, StateBadge } from '../issuer/fields.js';
import {
  type AttestationInput,
  attestationPayload,
  type CertificateView,
  checkAttestation,
  fieldOfCode,
} from '../issuer/issuer-view.js';
import { ATTESTATION_TYP, type Signer, signCompact } from '../keys.js';
import { formatDate, type MessageKey, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import { onLinkClick } from '../router.js';
import '../styles/issuer.css';
import { certificateStateWord, type ServiceFunction, serviceFunctions } from '../vocabulary.js';

type Report = NonNullable<Schemas['Problem']['verification']>;

const FORM = 'attest';
const POINTERS = [
  '/schemeId',
  '/holder',
  '/number',
  '/scope/functions',
  '/scope/sites',
  '/validFrom',
  '/validUntil',
  '/tier',
  '/key',
] as const;

/** The verification report of a refused attestation: each check in order, the failed one marked. */
export function ReportList({ report }: { report: Report }) {
  return (
    <section class="report" aria-labelledby="report-title">
      <h2 id="report-title">{t('attest.report.title')}</h2>
      <ol>
        {report.checks.map((c) => (
          <li key={c.check} class={`check-${c.status.toLowerCase()}`}>
            <strong>{t(`attest.check.${c.check}` as MessageKey)}</strong>:{' '}
            {t(`attest.checkStatus.${c.status}` as MessageKey)}
            {c.code && <code> {c.code}</code>}
            {c.detail && <span> — {c.detail}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The issuer attests a certificate: the form, signed in this browser, sent as a compact JWS. */
export function AttestPage({ session }: SignedInProps) {
  const schemes = session.party?.issuerOf ?? [];
  const form = useForm(POINTERS, FORM);
  const signer = useSignal<Signer | null>(null);
  const schemeId = useSignal(schemes.length === 1 ? schemes[0]! : '');
  const holder = useSignal('');
  const number = useSignal('');
  const functions = useSignal<readonly ServiceFunction[]>([]);
  const sites = useSignal('');
  const validFrom = useSignal('');
  const validUntil = useSignal('');
  const tier = useSignal('');
  const report = useSignal<Report | null>(null);
  const done = useSignal<CertificateView | null>(null);

  const onSubmit = async (event: Event) => {
    event.preventDefault();
    report.value = null;
    done.value = null;
    const input: AttestationInput = {
      schemeId: schemeId.value,
      holder: holder.value,
      number: number.value,
      functions: functions.value,
      sites: sites.value,
      validFrom: validFrom.value,
      validUntil: validUntil.value,
      tier: tier.value,
    };
    const found = checkAttestation(input, schemes);
    if (!signer.value) found['/key'] = form.errors.value['/key'] ?? t('error.keyFile.missing');
    if (form.refuse(found)) return;
    form.busy.value = true;
    try {
      const jws = await signCompact(
        attestationPayload(input, session.partyId, Date.now()),
        signer.value!,
        ATTESTATION_TYP,
      );
      const answer = await apiRequest(session.tokens, 'post', '/v1/certificates/attestations', { body: jws });
      done.value = answer.body;
      queueMicrotask(() => document.getElementById('attest-done')?.focus());
    } catch (error) {
      const problem = error instanceof ApiError ? error.problem : undefined;
      report.value = problem?.verification ?? null;
      const target =
        problem && !problem.pointer && !problem.errors?.length ? fieldOfCode(problem.code) : undefined;
      if (target) form.refuse({ [target]: problem!.detail ?? problem!.title });
      else form.fail(error);
    } finally {
      form.busy.value = false;
    }
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
      <h1>{t('nav.attest')}</h1>
      <p class="intro">{t('attest.intro')}</p>
      {schemes.length === 0 ? (
        <section class="empty" aria-labelledby="empty-title">
          <h2 id="empty-title">{t('attest.empty.title')}</h2>
          <p>{t('attest.empty.body')}</p>
        </section>
      ) : (
        <form onSubmit={onSubmit} noValidate aria-busy={form.busy.value} class="issuer-form">
          <FormError form={form} formId={FORM} />
          <Field pointer="/schemeId" form={form} label={t('attest.scheme')} hint={t('attest.scheme.hint')}>
            <select
              {...inputProps('/schemeId', form, true)}
              value={schemeId.value}
              onChange={(e) => {
                schemeId.value = e.currentTarget.value;
              }}
            >
              <option value="">{t('attest.scheme.choose')}</option>
              {schemes.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </Field>
          <Field pointer="/holder" form={form} label={t('attest.holder')} hint={t('attest.holder.hint')}>
            <input {...text(holder, '/holder', true)} spellcheck={false} autocomplete="off" />
          </Field>
          <Field pointer="/number" form={form} label={t('attest.number')} hint={t('attest.number.hint')}>
            <input {...text(number, '/number', true)} spellcheck={false} autocomplete="off" />
          </Field>
          <CheckGroup
            pointer="/scope/functions"
            form={form}
            legend={t('attest.functions')}
            hint={t('attest.functions.hint')}
            options={serviceFunctions}
            label={(f) => t(`issuer.function.${f}` as MessageKey)}
            value={functions}
          />
          <Field pointer="/scope/sites" form={form} label={t('attest.sites')} hint={t('attest.sites.hint')}>
            <input {...text(sites, '/scope/sites', true)} spellcheck={false} autocomplete="off" />
          </Field>
          <div class="field-row">
            <Field pointer="/validFrom" form={form} label={t('attest.validFrom')}>
              <input type="date" {...text(validFrom, '/validFrom')} />
            </Field>
            <Field
              pointer="/validUntil"
              form={form}
              label={t('attest.validUntil')}
              hint={t('attest.validUntil.hint')}
            >
              <input type="date" {...text(validUntil, '/validUntil', true)} />
            </Field>
          </div>
          <Field pointer="/tier" form={form} label={t('attest.tier')} hint={t('attest.tier.hint')}>
            <input {...text(tier, '/tier', true)} autocomplete="off" />
          </Field>
          <KeyFileField pointer="/key" form={form} signer={signer} />
          <button type="submit" disabled={form.busy.value}>
            {form.busy.value ? t('attest.busy') : t('attest.submit')}
          </button>
        </form>
      )}
      {report.value && <ReportList report={report.value} />}
      {done.value && (
        <section id="attest-done" class="done" aria-labelledby="done-title" tabIndex={-1} role="status">
          <h2 id="done-title">{t('attest.done.title')}</h2>
          <p>
            {t('attest.done.body', {
              number: done.value.certificate.number,
              scheme: done.value.certificate.schemeId,
              holder: done.value.certificate.holder,
            })}{' '}
            <StateBadge
              state={done.value.effectiveState}
              word={certificateStateWord(done.value.effectiveState)}
            />
          </p>
          <p>
            {done.value.certificate.validUntil
              ? t('attest.done.valid', {
                  from: formatDate(done.value.certificate.validFrom),
                  until: formatDate(done.value.certificate.validUntil),
                })
              : t('attest.done.openEnded', { from: formatDate(done.value.certificate.validFrom) })}
          </p>
          <p>
            <a href="/attested" onClick={onLinkClick}>
              {t('attest.done.list')}
            </a>
          </p>
        </section>
      )}
    </main>
  );
}

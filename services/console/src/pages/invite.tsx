import { useSignal } from '@preact/signals';
import type { TargetedEvent } from 'preact';
import { useEffect, useMemo } from 'preact/hooks';
import { ApiError, apiRequest } from '../api.js';
import { Field, FormError, fieldId, inputProps, useForm } from '../components/form.js';
import { type MessageKey, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import {
  CSV_COLUMNS,
  countOutcomes,
  type InviteRow,
  type OfferOutcome,
  offerBody,
  outcomeOfStatus,
  type RelationshipOffer,
  readInviteFile,
  runLimited,
  SAMPLE_CSV,
  splitList,
} from '../policy/invite-rows.js';
import '../styles/policy.css';
import { type ServiceFunction, serviceFunctions } from '../vocabulary.js';

/** Offers sent at once during an import: the exchange is shared with every other buyer. */
const CONCURRENCY = 4;

type Session = SignedInProps['session'];

/** Sends one offer: created (201), already linked (200), or the exchange's reason in words. */
async function sendOffer(session: Session, offer: RelationshipOffer): Promise<OfferOutcome> {
  try {
    const answer = await apiRequest(session.tokens, 'post', '/v1/relationships', { body: offerBody(offer) });
    return outcomeOfStatus(answer.status);
  } catch (error) {
    if (!(error instanceof ApiError)) return { kind: 'error', message: (error as Error).message };
    // Each violation with the column it is about (the member the pointer names).
    const problem = error.problem;
    const violations =
      problem?.errors && problem.errors.length > 0
        ? problem.errors
        : [{ pointer: problem?.pointer ?? '', detail: problem?.detail ?? error.message }];
    const message = violations
      .map((v) => (v.pointer ? `${v.pointer.split('/').filter(Boolean).pop()}: ${v.detail}` : v.detail))
      .join('; ');
    return { kind: 'error', message };
  }
}

/** The buyer invites its business partners: one link at a time, or a CSV file of them. */
export function InvitePage({ session }: SignedInProps) {
  return (
    <main id="content" tabIndex={-1} class="invite">
      <h1>{t('invite.title')}</h1>
      <p class="intro">{t('invite.intro')}</p>
      <OneOffer session={session} />
      <CsvImport session={session} />
    </main>
  );
}

const ONE = ['/partnerId', '/scopeOfService/functions', '/scopeOfService/locations'] as const;

function OneOffer({ session }: { session: Session }) {
  const form = useForm(ONE, 'invite-one');
  const partnerId = useSignal('');
  const functions = useSignal<ServiceFunction[]>([]);
  const locations = useSignal('');
  const done = useSignal<string | null>(null);

  const onSubmit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    done.value = null;
    const codes = splitList(locations.value).map((l) => l.toUpperCase());
    const bad = codes.filter((c) => !/^[A-Z]{2}[A-Z2-9]{3}$/.test(c));
    if (
      form.refuse({
        '/partnerId': partnerId.value.trim() === '' ? t('form.required') : undefined,
        '/scopeOfService/functions':
          functions.value.length === 0 ? t('invite.row.functions.missing') : undefined,
        '/scopeOfService/locations':
          bad.length > 0 ? t('invite.error.locations', { values: bad.join(', ') }) : undefined,
      })
    )
      return;
    const id = partnerId.value.trim();
    await form.run(async () => {
      const answer = await apiRequest(session.tokens, 'post', '/v1/relationships', {
        body: offerBody({
          partnerId: id,
          scopeOfService: {
            functions: functions.value,
            ...(codes.length > 0 ? { locations: [...new Set(codes)] } : {}),
          },
        }),
      });
      done.value =
        answer.status === 201
          ? t('invite.one.created', { partnerId: id })
          : t('invite.one.linked', {
              partnerId: id,
              state: t(`invite.state.${answer.body.state}` as MessageKey),
            });
    });
  };

  const toggle = (f: ServiceFunction, on: boolean) => {
    functions.value = on ? [...functions.value, f] : functions.value.filter((x) => x !== f);
  };
  const fnError = form.errors.value['/scopeOfService/functions'];
  const fnId = fieldId('/scopeOfService/functions');

  return (
    <section aria-labelledby="invite-one-title" class="panel">
      <h2 id="invite-one-title">{t('invite.one.title')}</h2>
      <form onSubmit={onSubmit} noValidate>
        <FormError form={form} formId="invite-one" />
        <Field
          pointer="/partnerId"
          form={form}
          label={t('invite.partnerId')}
          hint={t('invite.partnerId.hint')}
        >
          <input
            type="text"
            autoComplete="off"
            spellcheck={false}
            value={partnerId.value}
            onInput={(e) => {
              partnerId.value = e.currentTarget.value;
            }}
            {...inputProps('/partnerId', form, true)}
          />
        </Field>
        <fieldset
          id={fnId}
          tabIndex={-1}
          class="functions"
          aria-describedby={`${fnId}-hint${fnError ? ` ${fnId}-error` : ''}`}
        >
          <legend>{t('invite.functions')}</legend>
          <p id={`${fnId}-hint`} class="hint">
            {t('invite.functions.hint')}
          </p>
          <div class="choices">
            {serviceFunctions.map((f) => (
              <label key={f} class="choice">
                <input
                  type="checkbox"
                  checked={functions.value.includes(f)}
                  onChange={(e) => toggle(f, e.currentTarget.checked)}
                />{' '}
                {f}
              </label>
            ))}
          </div>
          {fnError && (
            <p id={`${fnId}-error`} class="error">
              {fnError}
            </p>
          )}
        </fieldset>
        <Field
          pointer="/scopeOfService/locations"
          form={form}
          label={t('invite.locations')}
          hint={t('invite.locations.hint')}
        >
          <input
            type="text"
            autoComplete="off"
            spellcheck={false}
            value={locations.value}
            onInput={(e) => {
              locations.value = e.currentTarget.value;
            }}
            {...inputProps('/scopeOfService/locations', form, true)}
          />
        </Field>
        <button type="submit" disabled={form.busy.value}>
          {form.busy.value ? t('invite.sending') : t('invite.submit')}
        </button>
        <p role="status" class="done">
          {done.value}
        </p>
      </form>
    </section>
  );
}

function CsvImport({ session }: { session: Session }) {
  const form = useForm(['/file'], 'invite-csv');
  const file = useSignal<{ name: string; rows: InviteRow[] } | null>(null);
  const outcomes = useSignal<(OfferOutcome | undefined)[]>([]);
  const running = useSignal(false);
  const finished = useSignal(false);
  const sample = useMemo(
    () => URL.createObjectURL(new Blob([`\uFEFF${SAMPLE_CSV}\r\n`], { type: 'text/csv;charset=utf-8' })),
    [],
  );
  useEffect(() => () => URL.revokeObjectURL(sample), [sample]);

  const onFile = async (event: TargetedEvent<HTMLInputElement>) => {
    const chosen = event.currentTarget.files?.[0];
    file.value = null;
    outcomes.value = [];
    finished.value = false;
    form.errors.value = {};
    if (!chosen) return;
    const read = readInviteFile(await chosen.text());
    if (!Array.isArray(read)) {
      form.refuse({ '/file': read.message });
      return;
    }
    file.value = { name: chosen.name, rows: read };
  };

  const onSubmit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const chosen = file.value;
    if (!chosen) {
      if (!form.errors.value['/file']) form.refuse({ '/file': t('invite.csv.missing') });
      return;
    }
    running.value = true;
    finished.value = false;
    // Rows the page refused are results at once; the others are sent, a few at a time.
    const results: (OfferOutcome | undefined)[] = chosen.rows.map((r) =>
      r.error
        ? {
            kind: 'error',
            message: t('invite.result.column', { column: r.error.column, message: r.error.message }),
          }
        : undefined,
    );
    outcomes.value = [...results];
    const toSend = chosen.rows.flatMap((r, i) => (r.offer ? [{ offer: r.offer, i }] : []));
    await runLimited(
      toSend,
      CONCURRENCY,
      ({ offer }) => sendOffer(session, offer),
      (outcome, k) => {
        results[toSend[k]!.i] = outcome;
        outcomes.value = [...results];
      },
    );
    running.value = false;
    finished.value = true;
  };

  const rows = file.value?.rows ?? [];
  const total = rows.length;
  const doneCount = outcomes.value.filter(Boolean).length;
  const counts = countOutcomes(outcomes.value);
  const order = rows
    .map((row, i) => ({ row, outcome: outcomes.value[i] }))
    .sort(
      (a, b) =>
        Number(b.outcome?.kind === 'error') - Number(a.outcome?.kind === 'error') || a.row.line - b.row.line,
    );

  return (
    <section aria-labelledby="invite-csv-title" class="panel">
      <h2 id="invite-csv-title">{t('invite.csv.title')}</h2>
      <p>{t('invite.csv.intro')}</p>
      <div class="table-wrap">
        <table class="columns">
          <caption>{t('invite.csv.columns')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('invite.csv.col.name')}</th>
              <th scope="col">{t('invite.csv.col.required')}</th>
              <th scope="col">{t('invite.csv.col.meaning')}</th>
            </tr>
          </thead>
          <tbody>
            {CSV_COLUMNS.map((c) => (
              <tr key={c}>
                <th scope="row">
                  <code>{c}</code>
                </th>
                <td>{c === 'locations' ? t('invite.csv.no') : t('invite.csv.yes')}</td>
                <td>{t(`invite.csv.col.${c}` as MessageKey, { list: serviceFunctions.join(', ') })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p class="hint">{t('invite.csv.format')}</p>
      <p>
        <a href={sample} download="invite-partners-sample.csv">
          {t('invite.csv.sample')}
        </a>
      </p>
      <form onSubmit={onSubmit} noValidate>
        <FormError form={form} formId="invite-csv" />
        <Field pointer="/file" form={form} label={t('invite.csv.file')} hint={t('invite.csv.file.hint')}>
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={onFile}
            disabled={running.value}
            {...inputProps('/file', form, true)}
          />
        </Field>
        {file.value && (
          <p>
            {total === 1
              ? t('invite.csv.ready.one', { file: file.value.name })
              : t('invite.csv.ready', { count: total, file: file.value.name })}
          </p>
        )}
        <button type="submit" disabled={running.value}>
          {t('invite.csv.start', { count: total })}
        </button>
      </form>
      {outcomes.value.length > 0 && (
        <div class="import-progress">
          <label for="invite-progress">{t('invite.csv.progress')}</label>
          <progress id="invite-progress" max={total} value={doneCount} />
          <p role="status">
            {finished.value
              ? t('invite.csv.finished', {
                  created: counts.created,
                  linked: counts.linked,
                  error: counts.error,
                })
              : t('invite.csv.progressText', { done: doneCount, total })}
          </p>
        </div>
      )}
      {outcomes.value.length > 0 && (
        <div class="table-wrap">
          <table class="results">
            <caption>
              {t('invite.csv.results')} <span class="hint">{t('invite.csv.errorsFirst')}</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('invite.csv.col.line')}</th>
                <th scope="col">{t('invite.csv.col.partner')}</th>
                <th scope="col">{t('invite.csv.col.result')}</th>
              </tr>
            </thead>
            <tbody>
              {order.map(({ row, outcome }) => (
                <tr key={row.line} class={outcome?.kind === 'error' ? 'row-error' : undefined}>
                  <td>{row.line}</td>
                  <th scope="row">{row.partnerId || t('partners.none')}</th>
                  <td>
                    {!outcome && t('invite.result.waiting')}
                    {outcome?.kind === 'created' && (
                      <span class="result result-created">{t('invite.result.created')}</span>
                    )}
                    {outcome?.kind === 'linked' && (
                      <span class="result result-linked">{t('invite.result.linked')}</span>
                    )}
                    {outcome?.kind === 'error' && (
                      <>
                        <span class="result result-error">{t('invite.result.error')}</span> {outcome.message}
                      </>
                    )}
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

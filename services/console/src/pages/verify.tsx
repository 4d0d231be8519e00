import { useSignal } from '@preact/signals';
import { Fragment, type TargetedEvent } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError, anonymous } from '../api.js';
import { Field, FormError, inputProps, useForm } from '../components/form.js';
import { ConsoleError } from '../keys.js';
import { formatDateTime, type MessageKey, t } from '../messages.js';
import type { PageProps } from '../page.js';
import {
  apiSource,
  type Check,
  type CheckState,
  type Said,
  storedHeads,
  verifyInput,
} from '../verify/checks.js';
import { readVerifyFile, type Statement, type VerifyInput } from '../verify/files.js';
import '../styles/verify.css';

function words({ key, values = {} }: Said): string {
  const shown = Object.fromEntries(
    Object.entries(values).map(([name, v]) => [
      name,
      typeof v === 'string' && (name === 'at' || name.endsWith('At')) ? formatDateTime(v) : v,
    ]),
  );
  return t(key, shown);
}

const MARK: Record<CheckState, string> = { pass: '✓', fail: '✗', first: '○', skipped: '–' };

function CheckItem({ check }: { check: Check }) {
  return (
    <li class={`verify-check verify-${check.state}`}>
      <span class="verify-mark" aria-hidden="true">
        {MARK[check.state]}
      </span>
      <div>
        <h3>
          <span class="verify-state">{t(`verify.state.${check.state}` as MessageKey)}:</span>{' '}
          {t(`verify.check.${check.id}` as MessageKey)}
        </h3>
        <p>{words(check)}</p>
        {check.lines && check.lines.length > 0 && (
          <ul class="verify-lines">
            {check.lines.map((line, i) => (
              <li key={i} class={line.ok ? 'verify-line-ok' : 'verify-line-fail'}>
                <span aria-hidden="true">{line.ok ? '✓ ' : '✗ '}</span>
                {words(line)}
              </li>
            ))}
          </ul>
        )}
        {check.state === 'fail' && (
          <p class="verify-meaning">{t(`verify.meaning.${check.id}` as MessageKey)}</p>
        )}
      </div>
    </li>
  );
}

function StatementSays({ statement, verified }: { statement: Statement; verified: boolean }) {
  const exempt = statement.partners.filter((p) => p.exemption);
  return (
    <section aria-labelledby="verify-says-title" class="verify-says">
      <h2 id="verify-says-title">{t('verify.says')}</h2>
      {!verified && <p class="verify-unverified">{t('verify.says.unverified')}</p>}
      <dl class="verify-facts">
        <dt>{t('verify.says.buyer')}</dt>
        <dd>
          {statement.buyer?.legalName ?? statement.legalName} ({statement.buyerId})
        </dd>
        <dt>{t('verify.says.generated')}</dt>
        <dd>
          <time dateTime={statement.generatedAt}>{formatDateTime(statement.generatedAt)}</time>
        </dd>
        <dt>{t('verify.says.scope')}</dt>
        <dd>
          {[...(statement.scope?.functions ?? []), ...(statement.scope?.locations ?? [])].join(', ') ||
            t('verify.none')}
        </dd>
        <dt>{t('verify.says.partners')}</dt>
        <dd>{statement.partners.length}</dd>
        <dt>{t('verify.says.exemptions')}</dt>
        <dd>{exempt.length}</dd>
      </dl>
      <div class="table-wrap">
        <table>
          <caption>{t('verify.says.partnersTable')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('verify.col.partner')}</th>
              <th scope="col">{t('verify.col.status')}</th>
              <th scope="col">{t('verify.col.clauses')}</th>
              <th scope="col">{t('verify.col.exemption')}</th>
            </tr>
          </thead>
          <tbody>
            {statement.partners.map((p) => (
              <tr key={p.partnerId}>
                <th scope="row">
                  {p.legalName} ({p.partnerId})
                </th>
                <td>{t(`status.${p.status}` as MessageKey)}</td>
                <td>{p.clauses.join(', ') || t('verify.none')}</td>
                <td>
                  {p.exemption
                    ? p.exemption.certificates
                        .map((c) =>
                          t('verify.certificate', {
                            scheme: c.scheme,
                            number: c.number,
                            issuer: c.issuingAuthority.name,
                            state: c.state,
                          }),
                        )
                        .join('; ')
                    : t('verify.none')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function EntrySays({ text }: { text: string }) {
  let c: Record<string, unknown>;
  try {
    c = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const rows: [MessageKey, string][] = [
    ['verify.entry.kind', String(c.kind ?? '')],
    ['verify.entry.buyer', String(c.buyerId ?? '')],
    ['verify.entry.partner', String(c.partnerId ?? '')],
    ['verify.entry.clause', String(c.clause ?? '')],
    ['verify.entry.basis', String(c.basis ?? '')],
    ['verify.entry.certificates', Array.isArray(c.certificateIds) ? c.certificateIds.join(', ') : ''],
    ['verify.entry.decided', typeof c.decidedAt === 'string' ? formatDateTime(c.decidedAt) : ''],
  ];
  return (
    <section aria-labelledby="verify-says-title" class="verify-says">
      <h2 id="verify-says-title">{t('verify.entry.says')}</h2>
      <dl class="verify-facts">
        {rows.map(([label, value]) => (
          <Fragment key={label}>
            <dt>{t(label)}</dt>
            <dd>{value || t('verify.none')}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}

interface Result {
  input: VerifyInput;
  checks: Check[];
}

/**
 * The validator's page, open with nobody signed in: a Statement of Application or a ledger
 * entry (a file, or a number), and three checks computed in this browser.
 */
export function VerifyPage({ session }: PageProps) {
  const fileForm = useForm(['/file'], 'verify-file');
  const seqForm = useForm(['/seq'], 'verify-seq');
  const file = useSignal<File | null>(null);
  const seq = useSignal('');
  const result = useSignal<Result | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const tokens = session?.tokens ?? anonymous;

  useEffect(() => {
    if (result.value) heading.current?.focus();
  }, [result.value]);

  const check = async (input: VerifyInput) => {
    result.value = null;
    const checks = await verifyInput(input, apiSource(tokens), storedHeads(localStorage));
    result.value = { input, checks };
  };

  const onFile = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const chosen = file.value;
    if (fileForm.refuse({ '/file': chosen ? undefined : t('verify.file.missing') })) return;
    await fileForm.run(async () => {
      try {
        await check(readVerifyFile(await chosen!.text()));
      } catch (error) {
        // A file that is no statement nor entry: said next to the file field.
        if (error instanceof ConsoleError) fileForm.refuse({ '/file': t(error.key, error.values) });
        else throw error;
      }
    });
  };

  const onSeq = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = seq.value.trim();
    const problem = !text
      ? t('verify.seq.missing')
      : /^(0|[1-9][0-9]{0,15})$/.test(text)
        ? undefined
        : t('verify.seq.pattern');
    if (seqForm.refuse({ '/seq': problem })) return;
    await seqForm.run(async () => {
      try {
        const view = await apiSource(tokens).entry(Number(text));
        await check({ kind: 'entry', seq: view.seq, entry: view.entry });
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) throw new Error(t('verify.signIn'));
        throw error;
      }
    });
  };

  const r = result.value;
  const failed = r ? r.checks.filter((c) => c.state === 'fail').length : 0;
  const signatureOk = r?.checks[0]?.state === 'pass';
  return (
    <main id="content" tabIndex={-1} class="verify">
      <h1>{t('verify.title')}</h1>
      <p class="intro">{t('verify.intro')}</p>
      <div class="verify-forms">
        <form id="verify-file" onSubmit={onFile} noValidate aria-labelledby="verify-file-legend">
          <h2 id="verify-file-legend">{t('verify.file.legend')}</h2>
          <FormError form={fileForm} formId="verify-file" />
          <Field pointer="/file" form={fileForm} label={t('verify.file.label')} hint={t('verify.file.hint')}>
            <input
              type="file"
              accept=".json,.html,application/json,text/html"
              onChange={(e) => {
                file.value = e.currentTarget.files?.[0] ?? null;
                fileForm.errors.value = {};
              }}
              {...inputProps('/file', fileForm, true)}
            />
          </Field>
          <button type="submit" disabled={fileForm.busy.value}>
            {fileForm.busy.value ? t('verify.busy') : t('verify.file.submit')}
          </button>
        </form>
        <form id="verify-seq" onSubmit={onSeq} noValidate aria-labelledby="verify-seq-legend">
          <h2 id="verify-seq-legend">{t('verify.seq.legend')}</h2>
          <FormError form={seqForm} formId="verify-seq" />
          <Field pointer="/seq" form={seqForm} label={t('verify.seq.label')} hint={t('verify.seq.hint')}>
            <input
              type="text"
              inputMode="numeric"
              autoComplete="off"
              value={seq.value}
              onInput={(e) => {
                seq.value = e.currentTarget.value;
              }}
              {...inputProps('/seq', seqForm, true)}
            />
          </Field>
          <button type="submit" disabled={seqForm.busy.value}>
            {seqForm.busy.value ? t('verify.busy') : t('verify.seq.submit')}
          </button>
        </form>
      </div>
      {!r && (
        <section class="empty" aria-labelledby="verify-empty-title">
          <h2 id="verify-empty-title" class="visually-hidden">
            {t('verify.results')}
          </h2>
          <p>{t('verify.empty')}</p>
        </section>
      )}
      {r && (
        <section aria-labelledby="verify-results-title" class="verify-results">
          <h2 id="verify-results-title" tabIndex={-1} ref={heading}>
            {t('verify.results.of', {
              what:
                r.input.kind === 'statement'
                  ? t('verify.what.statement', { buyer: r.input.statement.buyerId })
                  : t('verify.what.entry', { seq: r.input.seq }),
            })}
          </h2>
          <p class={failed === 0 ? 'verify-summary verify-summary-ok' : 'verify-summary verify-summary-fail'}>
            {failed === 0 ? t('verify.allPassed') : t('verify.someFailed', { count: failed })}
          </p>
          <ol class="verify-checks">
            {r.checks.map((c) => (
              <CheckItem key={c.id} check={c} />
            ))}
          </ol>
          {r.input.kind === 'statement' ? (
            <StatementSays statement={r.input.statement} verified={signatureOk} />
          ) : (
            <EntrySays text={r.input.entry} />
          )}
        </section>
      )}
    </main>
  );
}

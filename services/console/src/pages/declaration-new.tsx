import { useSignal } from '@preact/signals';
import type { TargetedEvent } from 'preact';
import { useEffect } from 'preact/hooks';
import { ApiError, apiGet, apiRequest, type Problem, type Schemas } from '../api.js';
import { Field, FormError, fieldId, inputProps, KeyFileField, useForm } from '../components/form.js';
import {
  type AreaCode,
  areaCodes,
  areaStated,
  checkDraft,
  type Draft,
  draftFrom,
  draftPointers,
  emptyDraft,
  isoReferences,
  KEY_FIELD,
  locationMessages,
  type Report,
  refusalErrors,
  requiredAreas,
  routeEndMessage,
  toDeclaration,
} from '../declare/compose.js';
import { parseLocodes } from '../declare/scope.js';
import { areaName, CheckGroup, modeWord, ReportView } from '../declare/ui.js';
import { errorText } from '../errors.js';
import { DECLARATION_TYP, type Signer, signCompact } from '../keys.js';
import { t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import { onLinkClick, query } from '../router.js';
import { functionWord, routeModes, serviceFunctions } from '../vocabulary.js';
import '../styles/declare.css';
import { declarationPath } from './declarations.js';

type Receipt = Schemas['DeclarationReceipt'];
interface Outcome {
  report: Report;
  receipt?: Receipt;
  problem?: Problem;
}

const FORM_ID = 'declare';
const value = (e: TargetedEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
  e.currentTarget.value;

/** The country of each well-formed code, in the person's language. */
function recognised(text: string): string {
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames(undefined, { type: 'region' });
  } catch {
    names = undefined;
  }
  return parseLocodes(text)
    .map((code) => `${code} (${names?.of(code.slice(0, 2)) ?? code.slice(0, 2)})`)
    .join(', ');
}

/** The labels of the form's fields by pointer: where the report says a refusal lies. */
function labelsOf(draft: Draft): Record<string, string> {
  const labels: Record<string, string> = {
    '/declarationId': t('declare.declarationId'),
    '/supersedes': t('declaration.supersedes'),
    '/scopeOfService/functions': t('declare.functions'),
    '/scopeOfService/locations': t('declare.locations'),
    '/scopeOfService': t('declare.part.scope'),
    '/measures': t('declare.part.measures'),
    '/validity/from': t('declare.validFrom'),
    '/validity/until': t('declare.validUntil'),
    '/signatory/name': `${t('declare.part.signatory')}: ${t('declare.signatory.name')}`,
    '/signatory/title': `${t('declare.part.signatory')}: ${t('declare.signatory.title')}`,
    '/signatory/authority': `${t('declare.part.signatory')}: ${t('declare.signatory.authority')}`,
    '/recipients': t('declare.recipients'),
    [KEY_FIELD]: t('form.signingKey'),
  };
  draft.routes.forEach((_r, i) => {
    labels[`/scopeOfService/routes/${i}/from`] = t('declare.route.from', { n: i + 1 });
    labels[`/scopeOfService/routes/${i}/to`] = t('declare.route.to', { n: i + 1 });
    labels[`/scopeOfService/routes/${i}/mode`] = t('declare.route.mode', { n: i + 1 });
  });
  for (const a of areaCodes) {
    labels[`/measures/${a}`] = t('declare.area', { code: a, name: areaName(a) });
    labels[`/measures/${a}/statement`] = t('declare.statement', { code: a });
    labels[`/measures/${a}/controls`] = t('declare.controls', { code: a });
  }
  return labels;
}

/** The label of the field `pointer` lies in (the longest pointer it starts with). */
function labelFor(labels: Record<string, string>, pointer: string): string | undefined {
  const field = Object.keys(labels)
    .sort((a, b) => b.length - a.length)
    .find((f) => pointer === f || pointer.startsWith(`${f}/`));
  return field ? labels[field] : undefined;
}

/**
 * The declaration composer: scope of service, measures per area (the areas the chosen
 * functions require marked), validity, signatory and recipients among the linked buyers;
 * signed in this browser with the key file chosen for this act, submitted, and answered with
 * the verification report. `?from=<declarationId>` starts from an earlier declaration to
 * supersede it.
 */
export function NewDeclarationPage({ session, page }: SignedInProps) {
  const from = query.value.get('from');
  const draft = useSignal<Draft | null>(null);
  const linked = useSignal<string[]>([]);
  const loadError = useSignal<string | null>(null);
  const signer = useSignal<Signer | null>(null);
  const outcome = useSignal<Outcome | null>(null);
  const pointers = draftPointers(draft.value ?? emptyDraft(new Date()));
  const form = useForm(pointers, FORM_ID);

  useEffect(() => {
    let live = true;
    (async () => {
      const links = await apiGet(session.tokens, '/v1/relationships');
      const buyers = links.relationships
        .filter((r) => r.partnerId === session.partyId && r.state === 'accepted')
        .map((r) => r.buyerId);
      let start = emptyDraft(new Date());
      if (from) {
        const previous = await apiGet(session.tokens, '/v1/declarations/{issuer}/{declarationId}', {
          path: { issuer: session.partyId, declarationId: from },
        });
        start = draftFrom(previous.declaration, new Date(), buyers);
      } else if (buyers.length === 1) start.recipients = [...buyers];
      if (!live) return;
      linked.value = buyers;
      draft.value = start;
    })().catch((e: unknown) => {
      if (live) loadError.value = errorText(e);
    });
    return () => {
      live = false;
    };
  }, [session, from]);

  const d = draft.value;
  if (!d) {
    return (
      <main id="content" tabIndex={-1}>
        <h1>{t(page.label)}</h1>
        {loadError.value ? (
          <p class="error" role="alert">
            {loadError.value}
          </p>
        ) : (
          <p aria-live="polite">{from ? t('declare.loading') : t('app.loading')}</p>
        )}
      </main>
    );
  }
  // Each change applies to the draft as it is now (not as this render saw it).
  const update = (change: Partial<Draft> | ((current: Draft) => Partial<Draft>)) => {
    const current = draft.value as Draft;
    draft.value = { ...current, ...(typeof change === 'function' ? change(current) : change) };
  };
  const setMeasure = (area: AreaCode, member: 'statement' | 'controls', text: string) =>
    update((c) => ({ measures: { ...c.measures, [area]: { ...c.measures[area], [member]: text } } }));
  const needs = requiredAreas(d.functions);
  const missing = [...needs.keys()].filter((a) => !areaStated(d.measures[a]));
  const locationCheck = locationMessages(d.locations);
  const labels = labelsOf(d);

  const submit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    outcome.value = null;
    if (form.refuse(checkDraft(d, signer.value !== null))) return;
    form.busy.value = true;
    try {
      const declaration = toDeclaration(d, session.partyId, new Date());
      const jws = await signCompact(declaration, signer.value as Signer, DECLARATION_TYP);
      const answer = await apiRequest(session.tokens, 'post', '/v1/declarations', { body: jws });
      // The key was for this signature: the page keeps no way to sign again.
      signer.value = null;
      outcome.value = { report: answer.body.verification, receipt: answer.body };
      queueMicrotask(() => document.getElementById('report-title')?.focus());
    } catch (error) {
      const problem = error instanceof ApiError ? error.problem : undefined;
      if (!problem) {
        form.fail(error);
        return;
      }
      if (problem.verification) outcome.value = { report: problem.verification, problem };
      form.refuse(refusalErrors(problem, pointers));
    } finally {
      form.busy.value = false;
    }
  };

  const receipt = outcome.value?.receipt;
  if (outcome.value && receipt) {
    return (
      <main id="content" tabIndex={-1}>
        <h1>{t(page.label)}</h1>
        <ReportView
          report={outcome.value.report}
          summary={
            <p class="notice">
              {receipt.state === 'unchanged'
                ? t('declare.report.unchanged')
                : t('declare.report.accepted', {
                    id: receipt.declarationId,
                    recipients: d.recipients.join(', '),
                  })}{' '}
              {outcome.value.report.verdict === 'VALID' && t('declare.report.valid')}
            </p>
          }
        />
        <p>
          <a href={declarationPath(receipt.issuer, receipt.declarationId)} onClick={onLinkClick}>
            {t('declare.report.open')}
          </a>
        </p>
        <p>
          <a href="/declarations" onClick={onLinkClick}>
            {t('declaration.back')}
          </a>
        </p>
      </main>
    );
  }

  const text = (pointer: string, label: string, current: string, set: (v: string) => void, hint?: string) => (
    <Field pointer={pointer} form={form} label={label} {...(hint ? { hint } : {})}>
      <input
        type="text"
        value={current}
        onInput={(e) => set(value(e))}
        {...inputProps(pointer, form, !!hint)}
      />
    </Field>
  );

  return (
    <main id="content" tabIndex={-1} class="composer">
      <h1>{t(page.label)}</h1>
      <p class="intro">{t('declare.intro')}</p>
      {d.supersedes && <p class="notice">{t('declare.supersedes', { id: d.supersedes })}</p>}
      {outcome.value && (
        <ReportView
          report={outcome.value.report}
          problem={outcome.value.problem}
          labelOf={(p) => labelFor(labels, p)}
          summary={outcome.value.problem?.verification && <p>{t('declare.report.invalid')}</p>}
        />
      )}
      <form id={FORM_ID} noValidate onSubmit={(e) => void submit(e)} aria-busy={form.busy.value}>
        <FormError form={form} formId={FORM_ID} />

        <fieldset class="part">
          <legend>{t('declare.part.identity')}</legend>
          {text(
            '/declarationId',
            t('declare.declarationId'),
            d.declarationId,
            (v) => update({ declarationId: v }),
            t('declare.declarationId.hint'),
          )}
          {d.supersedes && (
            <Field pointer="/supersedes" form={form} label={t('declaration.supersedes')}>
              <input type="text" value={d.supersedes} readOnly {...inputProps('/supersedes', form)} />
            </Field>
          )}
        </fieldset>

        <fieldset class="part" id={fieldId('/scopeOfService')} tabIndex={-1}>
          <legend>{t('declare.part.scope')}</legend>
          {form.errors.value['/scopeOfService'] && (
            <p class="error">{form.errors.value['/scopeOfService']}</p>
          )}
          <CheckGroup
            pointer="/scopeOfService/functions"
            form={form}
            legend={t('declare.functions')}
            options={serviceFunctions}
            labelOf={functionWord}
            selected={d.functions}
            onChange={(functions) => update({ functions })}
          />
          <Field
            pointer="/scopeOfService/locations"
            form={form}
            label={t('declare.locations')}
            hint={t('declare.locations.hint')}
          >
            <input
              type="text"
              value={d.locations}
              autoComplete="off"
              spellcheck={false}
              onInput={(e) => update({ locations: value(e) })}
              {...inputProps('/scopeOfService/locations', form, true)}
            />
          </Field>
          <p class={`live-check${locationCheck.length > 0 ? ' error' : ''}`} aria-live="polite">
            {locationCheck.length > 0
              ? locationCheck.join(' ')
              : parseLocodes(d.locations).length > 0
                ? t('declare.locations.ok', { list: recognised(d.locations) })
                : ''}
          </p>
          <fieldset class="group">
            <legend>{t('declare.routes')}</legend>
            <p class="hint">{t('declare.routes.hint')}</p>
            {d.routes.map((route, i) => {
              const n = i + 1;
              const setRoute = (change: Partial<typeof route>) =>
                update((c) => ({ routes: c.routes.map((r, j) => (j === i ? { ...r, ...change } : r)) }));
              const base = `/scopeOfService/routes/${i}`;
              const live = (code: string) => (code.trim() ? routeEndMessage(code) : null);
              return (
                <div class="route" key={i}>
                  <Field pointer={`${base}/from`} form={form} label={t('declare.route.from', { n })}>
                    <input
                      type="text"
                      value={route.from}
                      size={6}
                      onInput={(e) => setRoute({ from: value(e) })}
                      {...inputProps(`${base}/from`, form)}
                    />
                    {live(route.from) && <span class="live-check error">{live(route.from)}</span>}
                  </Field>
                  <Field pointer={`${base}/to`} form={form} label={t('declare.route.to', { n })}>
                    <input
                      type="text"
                      value={route.to}
                      size={6}
                      onInput={(e) => setRoute({ to: value(e) })}
                      {...inputProps(`${base}/to`, form)}
                    />
                    {live(route.to) && <span class="live-check error">{live(route.to)}</span>}
                  </Field>
                  <Field pointer={`${base}/mode`} form={form} label={t('declare.route.mode', { n })}>
                    <select
                      value={route.mode}
                      onChange={(e) => setRoute({ mode: value(e) as typeof route.mode })}
                      {...inputProps(`${base}/mode`, form)}
                    >
                      <option value="">{t('declare.route.anyMode')}</option>
                      {routeModes.map((m) => (
                        <option key={m} value={m}>
                          {modeWord(m)}
                        </option>
                      ))}
                    </select>
                  </Field>
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => update((c) => ({ routes: c.routes.filter((_r, j) => j !== i) }))}
                  >
                    {t('declare.route.remove', { n })}
                  </button>
                </div>
              );
            })}
            <button
              type="button"
              class="secondary"
              onClick={() => update((c) => ({ routes: [...c.routes, { from: '', to: '', mode: '' }] }))}
            >
              {t('declare.route.add')}
            </button>
          </fieldset>
        </fieldset>

        <fieldset class="part" id={fieldId('/measures')} tabIndex={-1}>
          <legend>{t('declare.part.measures')}</legend>
          <p class="hint">{t('declare.measures.intro')}</p>
          {form.errors.value['/measures'] && <p class="error">{form.errors.value['/measures']}</p>}
          <p class="live-check" aria-live="polite">
            {missing.length > 0 ? t('declare.measures.missing', { areas: missing.join(', ') }) : ''}
          </p>
          {areaCodes.map((a) => {
            const need = needs.get(a);
            const who = need
              ? [...(need.every ? [t('declare.area.every')] : []), ...need.functions.map(functionWord)]
              : [];
            const refs = isoReferences(a);
            const areaError = form.errors.value[`/measures/${a}`];
            const area = (
              <fieldset
                key={a}
                id={fieldId(`/measures/${a}`)}
                tabIndex={-1}
                class={`area${need ? ' required' : ''}`}
              >
                <legend class={need ? undefined : 'visually-hidden'}>
                  {t('declare.area', { code: a, name: areaName(a) })}{' '}
                  <span class={need ? 'need' : 'hint'}>
                    {need ? t('declare.area.required', { who: who.join(', ') }) : t('declare.area.optional')}
                  </span>
                </legend>
                <p class="hint">
                  {t('declaration.iso', {
                    iso28000: refs.iso28000.join(', '),
                    iso28001: refs.iso28001.join(', '),
                  })}
                </p>
                {areaError && <p class="error">{areaError}</p>}
                <Field
                  pointer={`/measures/${a}/statement`}
                  form={form}
                  label={t('declare.statement', { code: a })}
                  hint={t('declare.statement.hint')}
                >
                  <textarea
                    rows={2}
                    value={d.measures[a].statement}
                    onInput={(e) => setMeasure(a, 'statement', value(e))}
                    {...inputProps(`/measures/${a}/statement`, form, true)}
                  />
                </Field>
                <Field
                  pointer={`/measures/${a}/controls`}
                  form={form}
                  label={t('declare.controls', { code: a })}
                  hint={t('declare.controls.hint')}
                >
                  <textarea
                    rows={3}
                    value={d.measures[a].controls}
                    onInput={(e) => setMeasure(a, 'controls', value(e))}
                    {...inputProps(`/measures/${a}/controls`, form, true)}
                  />
                </Field>
              </fieldset>
            );
            if (need) return area;
            // An area the chosen functions do not require stays folded until it has text.
            const stated =
              areaStated(d.measures[a]) ||
              pointers.some((p) => p.startsWith(`/measures/${a}`) && form.errors.value[p]);
            return (
              <details key={a} class="optional-area" open={stated}>
                <summary>
                  {t('declare.area', { code: a, name: areaName(a) })}{' '}
                  <span class="hint">{t('declare.area.optional')}</span>
                </summary>
                {area}
              </details>
            );
          })}
        </fieldset>

        <fieldset class="part">
          <legend>{t('declare.part.validity')}</legend>
          <div class="pair">
            <Field pointer="/validity/from" form={form} label={t('declare.validFrom')}>
              <input
                type="date"
                value={d.validFrom}
                onInput={(e) => update({ validFrom: value(e) })}
                {...inputProps('/validity/from', form)}
              />
            </Field>
            <Field pointer="/validity/until" form={form} label={t('declare.validUntil')}>
              <input
                type="date"
                value={d.validUntil}
                onInput={(e) => update({ validUntil: value(e) })}
                {...inputProps('/validity/until', form)}
              />
            </Field>
          </div>
        </fieldset>

        <fieldset class="part">
          <legend>{t('declare.part.signatory')}</legend>
          {text('/signatory/name', t('declare.signatory.name'), d.signatory.name, (v) =>
            update((c) => ({ signatory: { ...c.signatory, name: v } })),
          )}
          {text('/signatory/title', t('declare.signatory.title'), d.signatory.title, (v) =>
            update((c) => ({ signatory: { ...c.signatory, title: v } })),
          )}
          {text(
            '/signatory/authority',
            t('declare.signatory.authority'),
            d.signatory.authority,
            (v) => update((c) => ({ signatory: { ...c.signatory, authority: v } })),
            t('declare.signatory.authority.hint'),
          )}
        </fieldset>

        <fieldset class="part">
          <legend>{t('declare.part.recipients')}</legend>
          {linked.value.length === 0 && (
            <p class="notice">
              {t('declare.recipients.none')}{' '}
              <a href="/buyers" onClick={onLinkClick}>
                {t('nav.buyers')}
              </a>
            </p>
          )}
          <CheckGroup
            pointer="/recipients"
            form={form}
            legend={t('declare.recipients')}
            options={linked.value}
            labelOf={(b) => b}
            selected={d.recipients}
            onChange={(recipients) => update({ recipients })}
          />
        </fieldset>

        <fieldset class="part">
          <legend>{t('declare.part.sign')}</legend>
          <KeyFileField pointer={KEY_FIELD} form={form} signer={signer} hint={t('declare.signingKey.hint')} />
          <button type="submit" disabled={form.busy.value}>
            {form.busy.value ? t('declare.busy') : t('declare.submit')}
          </button>
        </fieldset>
      </form>
    </main>
  );
}

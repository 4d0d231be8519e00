import { useSignal } from '@preact/signals';
import type { TargetedEvent } from 'preact';
import { useEffect } from 'preact/hooks';
import { ApiError, apiGet, apiRequest, type Schemas } from '../api.js';
import { Field, FormError, fieldId, inputProps, useForm } from '../components/form.js';
import { errorText } from '../errors.js';
import { en, formatDate, type MessageKey, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import {
  type Change,
  DEFAULT_TIERS,
  diffPolicy,
  evidenceOnly,
  fieldsOf,
  groundsOf,
  METHODS,
  type Method,
  type Policy,
  type PolicyFields,
  type Scheme,
  TIERS,
  updateFrom,
  updateOf,
} from '../policy/policy-edit.js';
import { methodWord, serviceFunctions } from '../vocabulary.js';
import '../styles/policy.css';

type Catalogue = Schemas['SchemeCatalogue'];

/** A change's field in words: `/review/tiers/high/method` → "Review method, high risk". */
function changeLabel(pointer: string, catalogue: Catalogue): string {
  const tier = /^\/review\/tiers\/(low|medium|high)\/(intervalMonths|method)$/.exec(pointer);
  if (tier)
    return t(`policy.field./review/tiers/${tier[2]}` as MessageKey, {
      tier: t(`risk.${tier[1]}` as MessageKey),
    });
  const issuers = /^\/issuers\/(.+)$/.exec(pointer);
  if (issuers) {
    const id = issuers[1]!;
    return t('policy.field./issuers', {
      scheme: catalogue.schemes.find((s) => s.schemeId === id)?.name ?? id,
    });
  }
  const key = `policy.field.${pointer}`;
  return key in en ? t(key as MessageKey) : pointer;
}

function ChangeList({ changes, catalogue }: { changes: Change[]; catalogue: Catalogue }) {
  return (
    <ul class="diff">
      {changes.map((c) => (
        <li key={c.pointer}>
          <strong>{changeLabel(c.pointer, catalogue)}</strong>:{' '}
          {c.added && <ins>{t('policy.diff.added', { items: c.added.join(', ') })}</ins>}
          {c.added && c.removed && '; '}
          {c.removed && <del>{t('policy.diff.removed', { items: c.removed.join(', ') })}</del>}
          {!c.added && !c.removed && (
            <span>
              {t('policy.diff.value', {
                before: c.before ?? t('policy.diff.unset'),
                after: c.after ?? t('policy.diff.unset'),
              })}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

/** The buyer's recognition policy: the catalogue's schemes, issuers, alerts and reviews; saved with If-Match. */
export function PolicyPage({ session }: SignedInProps) {
  const buyerId = session.partyId;
  const base = useSignal<Policy | null>(null);
  const fields = useSignal<PolicyFields | null>(null);
  const catalogue = useSignal<Catalogue | null>(null);
  const loadError = useSignal<string | null>(null);
  const conflict = useSignal<{ from: number; latest: Policy } | null>(null);
  const saved = useSignal<number | null>(null);

  const load = async () => {
    const answer = await apiRequest(session.tokens, 'get', '/v1/recognition-policies/{buyerId}', {
      path: { buyerId },
    });
    return answer.body as Policy;
  };

  useEffect(() => {
    let live = true;
    Promise.all([load(), apiGet(session.tokens, '/v1/schemes')])
      .then(([policy, schemes]) => {
        if (!live) return;
        base.value = policy;
        fields.value = fieldsOf(policy);
        catalogue.value = schemes;
      })
      .catch((e: unknown) => {
        if (live) loadError.value = errorText(e);
      });
    return () => {
      live = false;
    };
  }, [session]);

  const pointers = [
    '/schemes',
    ...(catalogue.value?.schemes.map((s) => `/issuers/${s.schemeId}`) ?? []),
    '/issuers',
    '/alertThresholdsDays',
    '/digestThreshold',
    '/review/riskReducingEvidence',
    '/review/highRiskFunctions',
    ...TIERS.flatMap((tier) => [`/review/tiers/${tier}/intervalMonths`, `/review/tiers/${tier}/method`]),
    '/review/firstReviewWithinDays',
    '/review/highRiskCountries',
    '/review/incidentLookbackMonths',
    '/review/reviewAfterIncidentWithinDays',
  ];
  const form = useForm(pointers, 'policy');

  if (loadError.value)
    return (
      <main id="content" tabIndex={-1}>
        <h1>{t('policy.title')}</h1>
        <p class="error" role="alert">
          {loadError.value}
        </p>
      </main>
    );
  if (!base.value || !fields.value || !catalogue.value)
    return (
      <main id="content" tabIndex={-1}>
        <h1>{t('policy.title')}</h1>
        <p aria-live="polite">{t('app.loading')}</p>
      </main>
    );

  const policy = base.value;
  const f = fields.value;
  const cat = catalogue.value;
  const { update, problems } = updateFrom(f, policy);
  const changes = diffPolicy(updateOf(policy), update);
  const edit = (change: Partial<PolicyFields>) => {
    fields.value = { ...f, ...change };
    saved.value = null;
  };
  const toggle = (list: string[], item: string, on: boolean) =>
    on ? [...new Set([...list, item])] : list.filter((x) => x !== item);
  const grounding = cat.schemes.filter((s) => !evidenceOnly(s));
  const evidence = cat.schemes.filter(evidenceOnly);

  const onSubmit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const found = Object.fromEntries(
      Object.entries(problems).map(([pointer, p]) => [
        pointer,
        t(`policy.error.${p.key}`, { value: p.value }),
      ]),
    );
    if (form.refuse(found)) return;
    await form.run(async () => {
      try {
        const answer = await apiRequest(session.tokens, 'put', '/v1/recognition-policies/{buyerId}', {
          path: { buyerId },
          body: update,
          headers: { 'if-match': `"${policy.version}"` },
        });
        const next = answer.body as Policy;
        base.value = next;
        fields.value = fieldsOf(next);
        conflict.value = null;
        saved.value = next.version;
      } catch (error) {
        if (error instanceof ApiError && error.status === 412) {
          // Someone saved meanwhile: compare the edits with their version, and save on top of it.
          const latest = await load();
          conflict.value = { from: policy.version, latest };
          base.value = latest;
          queueMicrotask(() => document.getElementById('policy-conflict')?.focus());
          return;
        }
        throw error;
      }
    });
  };

  const schemeRow = (s: Scheme, evidenceTable: boolean) => {
    const id = s.schemeId;
    const on = evidenceTable ? f.riskReducingEvidence.includes(id) : f.schemes.includes(id);
    const grounds = groundsOf(s);
    const issuerPointer = `/issuers/${id}`;
    const issuerError = form.errors.value[issuerPointer];
    return (
      <tr key={id}>
        <td>
          <input
            type="checkbox"
            id={`scheme-${id}`}
            checked={on}
            aria-label={t(evidenceTable ? 'policy.lowers' : 'policy.recognise', { scheme: s.name })}
            onChange={(e) =>
              evidenceTable
                ? edit({ riskReducingEvidence: toggle(f.riskReducingEvidence, id, e.currentTarget.checked) })
                : edit({ schemes: toggle(f.schemes, id, e.currentTarget.checked) })
            }
          />
        </td>
        <th scope="row">
          {s.name} <code class="scheme-id">{id}</code>
        </th>
        <td>{t(`policy.kind.${s.kind}` as MessageKey)}</td>
        <td>{s.jurisdiction}</td>
        <td>
          {evidenceTable ? (
            <span class="tag">{t('policy.evidenceOnly')}</span>
          ) : grounds.length > 0 ? (
            grounds.join('; ')
          ) : (
            t('policy.grounds.none')
          )}
        </td>
        {!evidenceTable && (
          <td>
            {on && (
              <>
                <input
                  type="text"
                  class="issuers"
                  value={f.issuers[id] ?? ''}
                  placeholder={t('policy.issuers.any')}
                  aria-label={t('policy.issuers.label', { scheme: s.name })}
                  onInput={(e) => edit({ issuers: { ...f.issuers, [id]: e.currentTarget.value } })}
                  {...inputProps(issuerPointer, form)}
                />
                {issuerError && (
                  <p id={`${fieldId(issuerPointer)}-error`} class="error">
                    {issuerError}
                  </p>
                )}
              </>
            )}
          </td>
        )}
      </tr>
    );
  };

  return (
    <main id="content" tabIndex={-1} class="policy">
      <h1>{t('policy.title')}</h1>
      <p class="intro">{t('policy.intro')}</p>
      <p class="version">
        <strong>{t('policy.version', { version: policy.version })}</strong>{' '}
        {policy.origin === 'default'
          ? t('policy.version.default')
          : t('policy.version.set', {
              version: policy.version,
              date: formatDate(policy.effectiveFrom),
              by: policy.changedBy ?? buyerId,
            })}{' '}
        {t('policy.catalogue', { version: cat.version, date: formatDate(cat.asOf) })}
      </p>
      {conflict.value && (
        <div id="policy-conflict" class="notice" role="alert" tabIndex={-1}>
          <p>{t('policy.conflict', { version: conflict.value.latest.version, from: conflict.value.from })}</p>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              fields.value = fieldsOf(conflict.value!.latest);
              conflict.value = null;
            }}
          >
            {t('policy.conflict.discard', { version: conflict.value.latest.version })}
          </button>
        </div>
      )}
      <form onSubmit={onSubmit} noValidate>
        <FormError form={form} formId="policy" />
        <section aria-labelledby="schemes-title">
          <h2 id="schemes-title">{t('policy.schemes.title')}</h2>
          {form.errors.value['/schemes'] && (
            <p id={`${fieldId('/schemes')}-error`} class="error" tabIndex={-1}>
              {form.errors.value['/schemes']}
            </p>
          )}
          <div class="table-wrap">
            <table>
              <caption>{t('policy.schemes.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('policy.col.recognised')}</th>
                  <th scope="col">{t('policy.col.scheme')}</th>
                  <th scope="col">{t('policy.col.kind')}</th>
                  <th scope="col">{t('policy.col.where')}</th>
                  <th scope="col">{t('policy.col.grounds')}</th>
                  <th scope="col">{t('policy.col.issuers')}</th>
                </tr>
              </thead>
              <tbody>{grounding.map((s) => schemeRow(s, false))}</tbody>
            </table>
          </div>
        </section>
        <section aria-labelledby="evidence-title">
          <h2 id="evidence-title">{t('policy.evidence.title')}</h2>
          <div class="table-wrap">
            <table>
              <caption>{t('policy.evidence.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('policy.col.lowers')}</th>
                  <th scope="col">{t('policy.col.scheme')}</th>
                  <th scope="col">{t('policy.col.kind')}</th>
                  <th scope="col">{t('policy.col.where')}</th>
                  <th scope="col">{t('policy.col.grounds')}</th>
                </tr>
              </thead>
              <tbody>{evidence.map((s) => schemeRow(s, true))}</tbody>
            </table>
          </div>
        </section>
        <section aria-labelledby="alerts-title" class="panel">
          <h2 id="alerts-title">{t('policy.alerts.title')}</h2>
          <Field
            pointer="/alertThresholdsDays"
            form={form}
            label={t('policy.thresholds')}
            hint={t('policy.thresholds.hint')}
          >
            <input
              type="text"
              inputMode="numeric"
              value={f.thresholds}
              onInput={(e) => edit({ thresholds: e.currentTarget.value })}
              {...inputProps('/alertThresholdsDays', form, true)}
            />
          </Field>
          <Field
            pointer="/digestThreshold"
            form={form}
            label={t('policy.digest')}
            hint={t('policy.digest.hint')}
          >
            <input
              type="text"
              inputMode="numeric"
              value={f.digest}
              onInput={(e) => edit({ digest: e.currentTarget.value })}
              {...inputProps('/digestThreshold', form, true)}
            />
          </Field>
        </section>
        <section aria-labelledby="review-title" class="panel">
          <h2 id="review-title">{t('policy.review.title')}</h2>
          <fieldset id={fieldId('/review/highRiskFunctions')} tabIndex={-1}>
            <legend>{t('policy.review.functions')}</legend>
            <p class="hint">{t('policy.review.functions.hint')}</p>
            <div class="choices">
              {serviceFunctions.map((fn) => (
                <label key={fn} class="choice">
                  <input
                    type="checkbox"
                    checked={f.highRiskFunctions.includes(fn)}
                    onChange={(e) =>
                      edit({ highRiskFunctions: toggle(f.highRiskFunctions, fn, e.currentTarget.checked) })
                    }
                  />{' '}
                  {fn}
                </label>
              ))}
            </div>
          </fieldset>
          <div class="tiers">
            {TIERS.map((tier) => {
              const name = t(`risk.${tier}` as MessageKey);
              const months = `/review/tiers/${tier}/intervalMonths`;
              const method = `/review/tiers/${tier}/method`;
              return (
                <fieldset key={tier}>
                  <legend>{t('policy.review.tier', { tier: name })}</legend>
                  <Field
                    pointer={months}
                    form={form}
                    label={t('policy.review.months', { tier: name })}
                    hint={t('policy.review.default', { value: DEFAULT_TIERS[tier].intervalMonths })}
                  >
                    <input
                      type="text"
                      inputMode="numeric"
                      value={f.tiers[tier].months}
                      onInput={(e) =>
                        edit({
                          tiers: { ...f.tiers, [tier]: { ...f.tiers[tier], months: e.currentTarget.value } },
                        })
                      }
                      {...inputProps(months, form, true)}
                    />
                  </Field>
                  <Field pointer={method} form={form} label={t('policy.review.method', { tier: name })}>
                    <select
                      value={f.tiers[tier].method}
                      onChange={(e) =>
                        edit({
                          tiers: {
                            ...f.tiers,
                            [tier]: { ...f.tiers[tier], method: e.currentTarget.value as Method | '' },
                          },
                        })
                      }
                      {...inputProps(method, form)}
                    >
                      <option value="">
                        {t('policy.review.default', {
                          value: methodWord(DEFAULT_TIERS[tier].method),
                        })}
                      </option>
                      {METHODS.map((m) => (
                        <option key={m} value={m}>
                          {methodWord(m)}
                        </option>
                      ))}
                    </select>
                  </Field>
                </fieldset>
              );
            })}
          </div>
          <Field
            pointer="/review/firstReviewWithinDays"
            form={form}
            label={t('policy.review.first')}
            hint={t('policy.review.first.hint')}
          >
            <input
              type="text"
              inputMode="numeric"
              value={f.firstReview}
              onInput={(e) => edit({ firstReview: e.currentTarget.value })}
              {...inputProps('/review/firstReviewWithinDays', form, true)}
            />
          </Field>
          <Field
            pointer="/review/highRiskCountries"
            form={form}
            label={t('policy.review.countries')}
            hint={t('policy.review.countries.hint')}
          >
            <input
              type="text"
              autocomplete="off"
              spellcheck={false}
              value={f.highRiskCountries}
              onInput={(e) => edit({ highRiskCountries: e.currentTarget.value })}
              {...inputProps('/review/highRiskCountries', form, true)}
            />
          </Field>
          <Field
            pointer="/review/incidentLookbackMonths"
            form={form}
            label={t('policy.review.lookback')}
            hint={t('policy.review.lookback.hint')}
          >
            <input
              type="text"
              inputMode="numeric"
              value={f.incidentLookbackMonths}
              onInput={(e) => edit({ incidentLookbackMonths: e.currentTarget.value })}
              {...inputProps('/review/incidentLookbackMonths', form, true)}
            />
          </Field>
          <Field
            pointer="/review/reviewAfterIncidentWithinDays"
            form={form}
            label={t('policy.review.afterIncident')}
            hint={t('policy.review.afterIncident.hint')}
          >
            <input
              type="text"
              inputMode="numeric"
              value={f.reviewAfterIncident}
              onInput={(e) => edit({ reviewAfterIncident: e.currentTarget.value })}
              {...inputProps('/review/reviewAfterIncidentWithinDays', form, true)}
            />
          </Field>
        </section>
        <section aria-labelledby="diff-title" class="panel changes">
          <h2 id="diff-title">{t('policy.diff.title')}</h2>
          {changes.length === 0 ? (
            <p>{t('policy.diff.none')}</p>
          ) : (
            <>
              <p>{t('policy.diff.intro', { version: policy.version + 1, from: policy.version })}</p>
              <ChangeList changes={changes} catalogue={cat} />
            </>
          )}
          <button type="submit" disabled={form.busy.value || changes.length === 0}>
            {form.busy.value ? t('form.saving') : t('policy.save', { version: policy.version + 1 })}
          </button>
          <p role="status" class="done">
            {saved.value !== null ? t('policy.saved', { version: saved.value }) : ''}
          </p>
        </section>
      </form>
    </main>
  );
}

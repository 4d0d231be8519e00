import type { ComponentChildren } from 'preact';
import type { Problem } from '../api.js';
import { type FormState, fieldId } from '../components/form.js';
import { type MessageKey, t } from '../messages.js';
import { functionWord, type RouteMode } from '../vocabulary.js';
import type { AreaCode, Report } from './compose.js';
import { failedCheck, refusedPointers } from './compose.js';
import type { ScopeOfService } from './scope.js';

/** An area, a route mode in words. */
export const areaName = (a: AreaCode): string => t(`declare.areaName.${a}` as MessageKey);
export const modeWord = (m: RouteMode): string => t(`declare.mode.${m}` as MessageKey);

/** A scope of service in a line: functions, then locations and routes. */
export function scopeText(scope: ScopeOfService): string {
  const parts = [scope.functions.map(functionWord).join(', ')];
  if (scope.locations?.length) parts.push(scope.locations.join(', '));
  for (const r of scope.routes ?? [])
    parts.push(
      r.mode
        ? t('declaration.route.mode', { from: r.from, to: r.to, mode: modeWord(r.mode) })
        : t('declaration.route', { from: r.from, to: r.to }),
    );
  return parts.join(' · ');
}

/**
 * A group of checkboxes filling one array member (`/recipients`): a fieldset named by its
 * legend, focusable so that a problem about the member can take the focus to it.
 */
export function CheckGroup<T extends string>(props: {
  pointer: string;
  form: FormState;
  legend: string;
  options: readonly T[];
  labelOf: (option: T) => string;
  /** A note under an option's label (why it is marked). */
  noteOf?: (option: T) => string | undefined;
  selected: readonly T[];
  onChange: (next: T[]) => void;
  hint?: string;
  children?: ComponentChildren;
}) {
  const id = fieldId(props.pointer);
  const error = props.form.errors.value[props.pointer];
  const described = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <fieldset
      id={id}
      tabIndex={-1}
      class={`group${error ? ' invalid' : ''}`}
      {...(described ? { 'aria-describedby': described } : {})}
    >
      <legend>{props.legend}</legend>
      {props.hint && (
        <p id={`${id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
      <ul class="choices">
        {props.options.map((option) => {
          const optionId = `${id}-${option}`;
          const note = props.noteOf?.(option);
          return (
            <li key={option}>
              <input
                type="checkbox"
                id={optionId}
                checked={props.selected.includes(option)}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  props.onChange(
                    on
                      ? props.options.filter((o) => o === option || props.selected.includes(o))
                      : props.selected.filter((o) => o !== option),
                  );
                }}
                {...(note ? { 'aria-describedby': `${optionId}-note` } : {})}
              />
              <label for={optionId}>{props.labelOf(option)}</label>
              {note && (
                <span id={`${optionId}-note`} class="hint">
                  {note}
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {props.children}
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/**
 * A verification report check by check, in the exchange's order: each check's words, its
 * outcome, the exchange's detail and code, and for the failed one the fields it concerns.
 * `problem` is the refusal that carried it, if any.
 */
export function ReportView(props: {
  report: Report;
  problem?: Problem | undefined;
  /** The label of the form field a pointer falls under, if any. */
  labelOf?: (pointer: string) => string | undefined;
  summary?: ComponentChildren;
}) {
  const { report, problem } = props;
  const failed = failedCheck(report);
  const fields = problem
    ? [...new Set(refusedPointers(problem).map((p) => props.labelOf?.(p) ?? p))].filter(Boolean)
    : [];
  return (
    <section class="report" aria-labelledby="report-title">
      <h2 id="report-title" tabIndex={-1}>
        {t('declare.report.title')}
      </h2>
      {props.summary}
      {problem && !failed && (
        <p class="error">
          {t('declare.report.refusedAfter', { detail: problem.detail ?? problem.title })}
          {fields.length > 0 && <> {t('declare.report.field', { field: fields.join(', ') })}</>}
        </p>
      )}
      <ol class="checks" aria-label={t('declare.report.list')}>
        {report.checks.map((c) => (
          <li key={c.check} class={`check check-${c.status}`}>
            <span class="check-name">{t(`declare.report.check.${c.check}` as MessageKey)}</span>{' '}
            <span class={`check-status check-status-${c.status}`}>
              {t(`declare.report.status.${c.status}` as MessageKey)}
            </span>
            {c.detail && <span class="check-detail">{c.detail}</span>}
            {c.code && <code class="check-code">{c.code}</code>}
            {c.check === failed && fields.length > 0 && (
              <span class="check-field">{t('declare.report.field', { field: fields.join(', ') })}</span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

import type { Signal } from '@preact/signals';
import { type FormState, fieldId } from '../components/form.js';

/**
 * A group of checkboxes for one array member of the request (`/roles`, `/scope/functions`):
 * a fieldset with its legend, focusable (a problem's message focuses it), the message under it.
 */
export function CheckGroup<V extends string>(props: {
  pointer: string;
  form: FormState;
  legend: string;
  hint?: string;
  options: readonly V[];
  label: (value: V) => string;
  value: Signal<readonly V[]>;
}) {
  const id = fieldId(props.pointer);
  const error = props.form.errors.value[props.pointer];
  const described = [props.hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const toggle = (option: V, on: boolean) => {
    const rest = props.value.value.filter((v) => v !== option);
    props.value.value = on ? [...rest, option] : rest;
  };
  return (
    <fieldset
      id={id}
      class="field checks"
      tabIndex={-1}
      aria-invalid={error ? 'true' : 'false'}
      {...(described ? { 'aria-describedby': described } : {})}
    >
      <legend>{props.legend}</legend>
      {props.hint && (
        <p id={`${id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
      <div class="check-options">
        {props.options.map((option) => (
          <label key={option} class="check-option">
            <input
              type="checkbox"
              name={props.pointer}
              value={option}
              checked={props.value.value.includes(option)}
              onChange={(e) => toggle(option, e.currentTarget.checked)}
            />
            {props.label(option)}
          </label>
        ))}
      </div>
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** A certificate's state as its word and colour (the word carries it). */
export function StateBadge({ state, word }: { state: string; word: string }) {
  return <span class={`status cert-${state}`}>{word}</span>;
}

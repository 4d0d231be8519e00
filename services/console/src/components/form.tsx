import { type Signal, useSignal } from '@preact/signals';
import type { ComponentChildren, TargetedEvent } from 'preact';
import { ApiError, fieldErrors } from '../api.js';
import { errorText } from '../errors.js';
import { type Signer, signerFromFile } from '../keys.js';
import { t } from '../messages.js';

/**
 * Forms in the console: each field is named by the JSON pointer of the request member it
 * fills (`/scopeOfService/functions`), so a problem's `pointer` (or each of its `errors`)
 * lands next to that field in words; what matches no field is shown at the form's top.
 */

/** The element id of the field for `pointer`: `/scopeOfService/functions` → `f-scopeOfService-functions`. */
export const fieldId = (pointer: string): string =>
  `f${pointer.replace(/[^A-Za-z0-9_-]+/g, '-')}`.replace(/-+$/, '') || 'f-root';

/** Messages by field pointer, and `form` for the rest. */
export type Errors = Partial<Record<string, string>>;

export interface FormState {
  errors: Signal<Errors>;
  busy: Signal<boolean>;
  /** Shows `error` next to its fields (an ApiError's problem is mapped by pointer), focuses the first. */
  fail(error: unknown): void;
  /** Shows the messages found by the console's own checks (before sending), focuses the first. */
  refuse(found: Errors): boolean;
  /**
   * Runs `act` with the form busy, its errors cleared first; a failure goes to `fail`.
   * Resolves to whether it succeeded.
   */
  run(act: () => Promise<void>): Promise<boolean>;
}

/** The state of one form whose fields are `pointers`. */
export function useForm(pointers: readonly string[], formId: string): FormState {
  const errors = useSignal<Errors>({});
  const busy = useSignal(false);
  const focusFirst = (found: Errors) => {
    const first = pointers.find((p) => found[p]);
    const target = first ? fieldId(first) : `${formId}-error`;
    // After the render that shows the messages.
    queueMicrotask(() => document.getElementById(target)?.focus());
  };
  const state: FormState = {
    errors,
    busy,
    fail(error) {
      const found: Errors =
        error instanceof ApiError && error.problem
          ? fieldErrors(error.problem, pointers)
          : { form: errorText(error) };
      errors.value = found;
      focusFirst(found);
    },
    refuse(found) {
      const present = Object.fromEntries(Object.entries(found).filter(([, v]) => v));
      errors.value = present;
      if (Object.keys(present).length === 0) return false;
      focusFirst(present);
      return true;
    },
    async run(act) {
      errors.value = {};
      busy.value = true;
      try {
        await act();
        return true;
      } catch (error) {
        state.fail(error);
        return false;
      } finally {
        busy.value = false;
      }
    },
  };
  return state;
}

/** The attributes an input needs to be labelled, described and marked invalid. */
export function inputProps(pointer: string, form: FormState, hint?: boolean) {
  const id = fieldId(pointer);
  const error = form.errors.value[pointer];
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    id,
    name: pointer,
    'aria-invalid': error ? ('true' as const) : ('false' as const),
    ...(described ? { 'aria-describedby': described } : {}),
  };
}

/** A labelled field: the label, the control (`children`, given inputProps), its hint and its error. */
export function Field(props: {
  pointer: string;
  form: FormState;
  label: string;
  hint?: string;
  class?: string;
  children: ComponentChildren;
}) {
  const id = fieldId(props.pointer);
  const error = props.form.errors.value[props.pointer];
  return (
    <div class={`field${props.class ? ` ${props.class}` : ''}`}>
      <label for={id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <p id={`${id}-hint`} class="hint">
          {props.hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} class="error">
          {error}
        </p>
      )}
    </div>
  );
}

/** The form's own message (what matches no field), announced and focusable. */
export function FormError({ form, formId }: { form: FormState; formId: string }) {
  const message = form.errors.value.form;
  if (!message) return null;
  return (
    <p id={`${formId}-error`} class="error" role="alert" tabIndex={-1}>
      {message}
    </p>
  );
}

/**
 * A key file chosen for one act (signing a declaration or an attestation): imported into
 * WebCrypto as a non-extractable key when chosen; the Signer lives in `signer` until the form
 * is left. Its text is never stored or sent.
 */
export function KeyFileField(props: {
  pointer: string;
  form: FormState;
  signer: Signal<Signer | null>;
  label?: string;
  hint?: string;
}) {
  const onChange = async (event: TargetedEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    props.signer.value = null;
    const { [props.pointer]: _gone, ...rest } = props.form.errors.value;
    props.form.errors.value = rest;
    if (!file) return;
    try {
      props.signer.value = await signerFromFile(await file.text());
    } catch (error) {
      props.form.errors.value = { ...props.form.errors.value, [props.pointer]: errorText(error) };
    }
  };
  return (
    <Field
      pointer={props.pointer}
      form={props.form}
      label={props.label ?? t('form.signingKey')}
      hint={props.hint ?? t('form.signingKey.hint')}
    >
      <input
        type="file"
        accept=".json,application/json"
        onChange={onChange}
        {...inputProps(props.pointer, props.form, true)}
      />
    </Field>
  );
}

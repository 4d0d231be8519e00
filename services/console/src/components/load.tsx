import { type Signal, useSignal } from '@preact/signals';
import type { ComponentChildren } from 'preact';
import { type Inputs, useEffect, useRef } from 'preact/hooks';
import { errorText } from '../errors.js';
import { t } from '../messages.js';

/**
 * What a page loads when it opens: the answer, the words for what went wrong, and a way to
 * load it again. An answer that arrives after the page closed, or after its inputs changed
 * (a new filter), is dropped.
 */
export interface Load<T> {
  /** The answer; null while it loads (again, when the inputs change). The page may change it after an act. */
  data: Signal<T | null>;
  /** What went wrong, in words; the page's acts may set it too. */
  error: Signal<string | null>;
  /** Loads again (its failure lands in `error`). */
  reload: () => Promise<void>;
}

/**
 * Runs `load` when the page opens and whenever `inputs` change. `initial` is shown until the
 * first answer comes (what the page already knows); `describe` puts a failure in words.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  inputs: Inputs,
  {
    initial = null,
    describe = errorText,
  }: { initial?: T | null; describe?: (error: unknown) => string } = {},
): Load<T> {
  const data = useSignal<T | null>(initial);
  const error = useSignal<string | null>(null);
  const latest = useRef(0);
  const run = async (): Promise<void> => {
    const id = ++latest.current;
    try {
      const answer = await load();
      if (latest.current === id) data.value = answer;
    } catch (e) {
      if (latest.current === id) error.value = describe(e);
    }
  };
  useEffect(() => {
    if (latest.current > 0) {
      data.value = null;
      error.value = null;
    }
    void run();
    return () => {
      latest.current++;
    };
  }, inputs);
  return { data, error, reload: run };
}

/**
 * The states before a page's content: what went wrong, "Loading…" while nothing is there yet,
 * and, for an empty list, a section with `title` and what to do next (`children`).
 */
export function LoadState({
  error,
  data,
  title,
  children,
}: {
  error: string | null;
  data: unknown;
  title?: string;
  children?: ComponentChildren;
}) {
  return (
    <>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!error && (data === null || data === undefined) && <p aria-live="polite">{t('app.loading')}</p>}
      {title !== undefined && Array.isArray(data) && data.length === 0 && (
        <section class="empty" aria-labelledby="empty-title">
          <h2 id="empty-title">{title}</h2>
          <p>{children}</p>
        </section>
      )}
    </>
  );
}

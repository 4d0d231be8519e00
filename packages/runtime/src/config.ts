import { RuntimeError } from './errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

// The spellings of a boolean setting, compared case-insensitively.
const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** Reads typed settings from an environment map; every problem names the variable. */
export class ConfigReader {
  readonly #env: Env;
  constructor(env: Env) {
    this.#env = env;
  }

  string(name: string, fallback?: string): string {
    const v = this.#env[name]?.trim();
    if (v) return v;
    if (fallback !== undefined) return fallback;
    throw new RuntimeError('PDX_CONFIG_INVALID', `${name} is required`);
  }

  optionalString(name: string): string | undefined {
    const v = this.#env[name]?.trim();
    return v ? v : undefined;
  }

  int(name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
    const raw = this.#env[name]?.trim();
    if (!raw) return fallback;
    if (!/^-?\d+$/.test(raw))
      throw new RuntimeError('PDX_CONFIG_INVALID', `${name} must be an integer, got "${raw}"`);
    const n = Number(raw);
    if ((range.min !== undefined && n < range.min) || (range.max !== undefined && n > range.max)) {
      throw new RuntimeError(
        'PDX_CONFIG_INVALID',
        `${name} must be between ${range.min ?? '-inf'} and ${range.max ?? 'inf'}, got ${n}`,
      );
    }
    return n;
  }

  /**
   * A yes-or-no setting: true/false, 1/0, yes/no or on/off, in any case; unset or blank is
   * `fallback`. Anything else stops the process rather than silently meaning false.
   */
  bool(name: string, fallback: boolean): boolean {
    const raw = this.#env[name]?.trim();
    if (!raw) return fallback;
    const value = raw.toLowerCase();
    if (TRUE.has(value)) return true;
    if (FALSE.has(value)) return false;
    throw new RuntimeError(
      'PDX_CONFIG_INVALID',
      `${name} must be true or false (or 1/0, yes/no, on/off), got "${raw}"`,
    );
  }

  list(name: string, fallback: readonly string[] = []): string[] {
    const raw = this.#env[name]?.trim();
    if (!raw) return [...fallback];
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.#env[name]?.trim();
    if (!raw) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      throw new RuntimeError(
        'PDX_CONFIG_INVALID',
        `${name} must be one of ${allowed.join(', ')}, got "${raw}"`,
      );
    }
    return raw as T;
  }
}

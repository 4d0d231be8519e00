import { describe, expect, it } from 'vitest';
import { ConfigReader } from './config.js';
import { RuntimeError } from './errors.js';

const bool = (value: string | undefined, fallback = false) =>
  new ConfigReader({ PDX_FLAG: value }).bool('PDX_FLAG', fallback);

describe('ConfigReader.bool', () => {
  it.each(['true', 'TRUE', 'True', '1', 'yes', 'YES', 'on', 'On', ' true '])('%j is true', (value) => {
    expect(bool(value)).toBe(true);
  });

  it.each(['false', 'FALSE', '0', 'no', 'No', 'off', 'OFF'])('%j is false', (value) => {
    expect(bool(value, true)).toBe(false);
  });

  it('is the fallback when unset or blank', () => {
    expect(bool(undefined, true)).toBe(true);
    expect(bool('', true)).toBe(true);
    expect(bool('  ', false)).toBe(false);
  });

  it.each(['ture', 'y', 'n', '2', 'enabled', 'true1', 'yes please', '-1'])(
    'refuses %j with PDX_CONFIG_INVALID naming the variable',
    (value) => {
      const error = (() => {
        try {
          bool(value);
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(RuntimeError);
      expect(error).toMatchObject({ code: 'PDX_CONFIG_INVALID' });
      expect((error as Error).message).toContain('PDX_FLAG');
      expect((error as Error).message).toContain(JSON.stringify(value));
    },
  );
});

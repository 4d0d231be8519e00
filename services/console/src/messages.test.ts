import { describe, expect, it } from 'vitest';
import { de } from './messages.de.js';
import { en, language, type MessageKey, preferredLanguage, setLanguage, t } from './messages.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the message catalogue', () => {
  it('has every English text in German, with the same values filled in', () => {
    const keys = Object.keys(en) as MessageKey[];
    expect(Object.keys(de).sort()).toEqual([...keys].sort());
    const wrong = keys.filter((k) => placeholders(de[k]).join() !== placeholders(en[k]).join());
    expect(wrong, 'German texts whose {placeholders} differ from the English').toEqual([]);
    const empty = keys.filter((k) => de[k].trim() === '' && en[k].trim() !== '');
    expect(empty).toEqual([]);
  });

  it('speaks the language the person chose, else the first of theirs it knows, else English', () => {
    expect(preferredLanguage(null, ['de-AT', 'en-GB'])).toBe('de');
    expect(preferredLanguage(null, ['fr-FR', 'en-US', 'de'])).toBe('en');
    expect(preferredLanguage(null, ['fr-FR', 'it'])).toBe('en');
    expect(preferredLanguage('en', ['de-DE'])).toBe('en');
    expect(preferredLanguage('DE', [])).toBe('de');
    expect(preferredLanguage('xx', ['de-CH'])).toBe('de');
  });

  it('shows the German text once German is chosen, and the English again after', async () => {
    await setLanguage('de');
    expect(language.value).toBe('de');
    expect(t('signIn.title')).toBe(de['signIn.title']);
    expect(t('partners.total', { count: 3 })).toBe(de['partners.total'].replace('{count}', '3'));
    await setLanguage('en');
    expect(t('signIn.title')).toBe('Sign in');
  });
});

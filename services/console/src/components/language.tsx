import { type Language, language, languages, setLanguage, t } from '../messages.js';

/** The language switch: each language named in itself; the choice is kept on this browser. */
export function LanguageSwitch() {
  return (
    <span class="language">
      <label class="language-label" for="language">
        {t('shell.language')}
      </label>
      <select
        id="language"
        value={language.value}
        onChange={(e) => void setLanguage(e.currentTarget.value as Language, true)}
      >
        {languages.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`language.${l}`)}
          </option>
        ))}
      </select>
    </span>
  );
}

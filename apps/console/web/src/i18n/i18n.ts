import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en/index';
import { es } from './es/index';
import { ru } from './ru/index';

/** The interface languages; each language's messages are in one file beside this one. */
export const LANGUAGES = [
  { code: 'en', label: 'English', locale: 'en-GB' },
  { code: 'es', label: 'Español', locale: 'es-ES' },
  { code: 'ru', label: 'Русский', locale: 'ru-RU' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE = 'lx.language';

function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE);
  if (LANGUAGES.some((language) => language.code === stored)) return stored as Language;
  const browser = navigator.language.slice(0, 2);
  return LANGUAGES.find((language) => language.code === browser)?.code ?? 'en';
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, es: { translation: es }, ru: { translation: ru } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  interpolation: { escapeValue: false },
  returnNull: false,
});
i18n.on('languageChanged', (language) => {
  localStorage.setItem(STORAGE, language);
  document.documentElement.lang = language;
});
document.documentElement.lang = i18n.language;

/** The locale numbers, money and dates are written in: the interface language's. */
export function currentLocale(): string {
  return LANGUAGES.find((language) => language.code === i18n.language)?.locale ?? 'en-GB';
}

export default i18n;

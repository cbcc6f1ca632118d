import { useTranslation } from 'react-i18next';
import { LANGUAGES } from './i18n';

/** The locale of the interface language (re-renders when the person picks another). */
export function useLocale(): string {
  const { i18n } = useTranslation();
  return LANGUAGES.find((language) => language.code === i18n.language)?.locale ?? 'en-GB';
}

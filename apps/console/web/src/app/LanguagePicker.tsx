import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '../i18n/i18n';

export function LanguagePicker() {
  const { t, i18n } = useTranslation();
  return (
    <NativeSelect
      label={t('language')}
      size="xs"
      value={i18n.language}
      onChange={(event) => void i18n.changeLanguage(event.currentTarget.value)}
      data={LANGUAGES.map((language) => ({ value: language.code, label: language.label }))}
    />
  );
}

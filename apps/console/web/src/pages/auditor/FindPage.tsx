import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SearchBox } from './kit';

/** The auditor's home: one box for any id (lead, order, allocation, batch, participant, payout) or a name. */
export default function FindPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={760}>
      <Title order={1} size="h2">
        {t('auditor.search.title')}
      </Title>
      <Text>{t('auditor.search.intro')}</Text>
      <SearchBox autoFocus />
    </Stack>
  );
}

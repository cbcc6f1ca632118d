import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SearchBox } from './kit';
import { PageTitle } from '../../components/Headings';

/** The auditor's home: one box for any id (lead, order, allocation, batch, participant, payout) or a name. */
export default function FindPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={760}>
      <PageTitle>{t('auditor.search.title')}</PageTitle>
      <Text>{t('auditor.search.intro')}</Text>
      <SearchBox autoFocus />
    </Stack>
  );
}

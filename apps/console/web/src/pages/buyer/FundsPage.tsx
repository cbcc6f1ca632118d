import { SimpleGrid, Stack, Table, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { buyersApi, data } from '../../api/client';
import { Money } from '../../components/Money';
import { QueryState } from '../../components/PageState';

/** The buyer's balances per currency: deposited, available, reserved for live orders. */
export default function FundsPage() {
  const { t } = useTranslation();
  const account = useQuery({
    queryKey: ['buyer', 'account'],
    queryFn: async () => data(await buyersApi.GET('/v1/account')),
  });
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('buyer.funds.title')}
      </Title>
      <QueryState query={account} isEmpty={(answer) => answer.balances.length === 0}>
        {(answer) => (
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('buyer.funds.available')}</Table.Th>
                  <Table.Th>{t('buyer.funds.reserved')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {answer.balances.map((balance) => (
                  <Table.Tr key={balance.currency}>
                    <Table.Td>
                      <Money minor={balance.available} currency={balance.currency} />
                    </Table.Td>
                    <Table.Td>
                      <Money minor={balance.reserved} currency={balance.currency} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </SimpleGrid>
        )}
      </QueryState>
    </Stack>
  );
}

import { Alert, Badge, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';
import { buyersApi, data } from '../../api/client';
import type { BuyersAnswer } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { Instant, Money, MoneyCells } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { PageTitle, SectionTitle } from '../../components/Headings';

type Deposit = BuyersAnswer<'AccountsController_deposits'>['items'][number];
const column = createColumnHelper<Deposit>();

/** The buyer's balances per currency (deposited, available, reserved) and its confirmed deposits. */
export default function FundsPage() {
  const { t } = useTranslation();
  const account = useQuery({
    queryKey: ['buyer', 'account'],
    queryFn: async () => data(await buyersApi.GET('/v1/account')),
  });
  const deposits = useQuery({
    queryKey: ['buyer', 'deposits'],
    queryFn: async () => data(await buyersApi.GET('/v1/account/deposits')),
  });

  const columns = [
    column.accessor('confirmedAt', {
      header: t('purchases.funds.confirmedAt'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
    column.accessor('amount', {
      header: t('purchases.funds.amount'),
      cell: (cell) => <Money minor={cell.getValue()} currency={cell.row.original.currency} />,
    }),
    column.accessor('reference', { header: t('purchases.funds.reference') }),
    column.accessor('status', {
      header: t('purchases.funds.status'),
      cell: (cell) => (
        <Badge color="green" variant="dot">
          {t(`purchases.funds.statuses.${cell.getValue()}`)}
        </Badge>
      ),
    }),
  ];

  return (
    <Stack>
      <PageTitle>{t('purchases.funds.title')}</PageTitle>
      <QueryState
        query={account}
        isEmpty={(answer) => answer.balances.length === 0}
        empty={t('purchases.funds.noBalances')}
      >
        {(answer) => (
          <Table.ScrollContainer minWidth={360}>
            <Table striped>
              <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
                {t('purchases.funds.balancesCaption')}
              </Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('purchases.funds.currency')}</Table.Th>
                  <Table.Th>{t('purchases.funds.available')}</Table.Th>
                  <Table.Th>{t('purchases.funds.reserved')}</Table.Th>
                  <Table.Th>{t('purchases.funds.deposited')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {answer.balances.map((balance) => (
                  <Table.Tr key={balance.currency}>
                    <Table.Td>{balance.currency}</Table.Td>
                    <MoneyCells
                      amounts={[balance.available, balance.reserved, balance.deposited]}
                      currency={balance.currency}
                    />
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </QueryState>
      <SectionTitle>{t('purchases.funds.depositsTitle')}</SectionTitle>
      <QueryState
        query={deposits}
        isEmpty={(answer) => answer.items.length === 0}
        empty={t('purchases.funds.noDeposits')}
      >
        {(answer) => (
          <DataTable
            caption={t('purchases.funds.depositsCaption')}
            columns={columns}
            rows={answer.items}
            rowKey={(deposit) => deposit.depositId}
          />
        )}
      </QueryState>
      <Alert color="blue" title={t('purchases.funds.howTitle')}>
        <Text size="sm">{t('purchases.funds.how')}</Text>
      </Alert>
    </Stack>
  );
}

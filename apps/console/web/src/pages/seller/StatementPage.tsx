import { Badge, Group, SimpleGrid, Stack, Title } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../app/auth';
import { DataTable } from '../../components/DataTable';
import { Instant, Money } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { ProblemAlert } from '../../components/ProblemAlert';
import { DownloadCsvButton, Figure, useCsvDownload, useSellerStatement, type Statement } from './shared';
import { PageTitle } from '../../components/Headings';

type Line = Statement['items'][number];
type Sale = Line['sales'][number];
type Payout = Line['payouts'][number];
type BySource = Line['bySource'][number];
const bySource = createColumnHelper<BySource>();
const sale = createColumnHelper<Sale>();
const payout = createColumnHelper<Payout>();
const SALE_COLOR = { pending: 'yellow', posted: 'green', voided: 'gray' } as const;

/** The seller's statement per currency: totals, balances, every sale and payout, and the CSV. */
export default function StatementPage() {
  const { t } = useTranslation();
  const me = useMe();
  const statement = useSellerStatement();
  const statementCsv = useCsvDownload('settlement');

  const saleColumns = (currency: string) => [
    sale.accessor('soldAt', {
      header: t('seller.statement.soldAt'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
    sale.accessor((row) => sourceLabel(row.source, row.subSource), {
      id: 'source',
      header: t('seller.statement.source'),
    }),
    sale.accessor('price', {
      header: t('seller.statement.price'),
      cell: (cell) => <Money minor={cell.getValue()} currency={currency} />,
    }),
    sale.accessor('commission', {
      header: t('seller.statement.commission'),
      cell: (cell) => <Money minor={cell.getValue()} currency={currency} />,
    }),
    sale.accessor('proceeds', {
      header: t('seller.statement.proceeds'),
      cell: (cell) => <Money minor={cell.getValue()} currency={currency} />,
    }),
    sale.accessor('status', {
      header: t('seller.statement.status'),
      cell: (cell) => (
        <Badge color={SALE_COLOR[cell.getValue()]} c="dark.7" variant="light">
          {t(`seller.statement.saleStatus.${cell.getValue()}`)}
        </Badge>
      ),
    }),
  ];
  const sourceLabel = (source: string | null, subSource: string | null) =>
    source === null
      ? t('seller.dashboard.sources.untagged')
      : subSource === null
        ? source
        : `${source} / ${subSource}`;
  const bySourceColumns = (currency: string) => [
    bySource.accessor((row) => sourceLabel(row.source, row.subSource), {
      id: 'source',
      header: t('seller.statement.source'),
    }),
    bySource.accessor((row) => row.sold.count, { id: 'sold', header: t('seller.statement.sold') }),
    bySource.accessor((row) => row.sold.gross, {
      id: 'gross',
      header: t('seller.statement.gross'),
      cell: (cell) => <Money minor={cell.getValue()} currency={currency} />,
    }),
    bySource.accessor((row) => row.returned.count, {
      id: 'returned',
      header: t('seller.statement.returned'),
    }),
    bySource.accessor('commission', {
      header: t('seller.statement.commission'),
      cell: (cell) => <Money minor={cell.getValue()} currency={currency} />,
    }),
    bySource.accessor('netProceeds', {
      header: t('seller.statement.netProceeds'),
      cell: (cell) => <Money minor={cell.getValue()} currency={currency} />,
    }),
  ];
  const payoutColumns = (currency: string) => [
    payout.accessor('occurredAt', {
      header: t('seller.statement.at'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
    payout.accessor('amount', {
      header: t('seller.statement.amount'),
      cell: (cell) => <Money minor={cell.getValue()} currency={currency} />,
    }),
  ];

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <PageTitle>{t('seller.statement.title')}</PageTitle>
        <DownloadCsvButton
          disabled={!me.data}
          onClick={() =>
            statementCsv.start(`/v1/statements/sellers/${me.data!.participantId}?format=csv`, 'statement.csv')
          }
        />
      </Group>
      {statementCsv.error !== null && <ProblemAlert error={statementCsv.error} />}
      <QueryState
        query={statement}
        isEmpty={(answer) => answer.items.length === 0}
        empty={t('seller.statement.empty')}
      >
        {(answer) => (
          <Stack gap="xl">
            {answer.items.map((line) => (
              <Stack key={line.currency} component="section" aria-labelledby={`statement-${line.currency}`}>
                <Title order={2} size="h3" id={`statement-${line.currency}`}>
                  {t('seller.statement.currency', { currency: line.currency })}
                </Title>
                <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }}>
                  <Figure label={t('seller.statement.sold')}>
                    {t('seller.statement.soldCount', { count: line.sold.count })}
                  </Figure>
                  <Figure label={t('seller.statement.gross')}>
                    <Money minor={line.sold.gross} currency={line.currency} />
                  </Figure>
                  <Figure label={t('seller.statement.commission')}>
                    <Money minor={line.commission} currency={line.currency} />
                  </Figure>
                  <Figure label={t('seller.statement.proceeds')}>
                    <Money minor={line.sold.proceeds} currency={line.currency} />
                  </Figure>
                  <Figure label={t('seller.statement.pending')}>
                    <Money minor={line.balances.pending} currency={line.currency} />
                  </Figure>
                  <Figure label={t('seller.statement.available')}>
                    <Money minor={line.balances.available} currency={line.currency} />
                  </Figure>
                  <Figure label={t('seller.statement.returned')}>
                    {t('seller.statement.returnedCount', { count: line.returned.count })}
                  </Figure>
                  <Figure label={t('seller.statement.proceedsDebited')}>
                    <Money minor={line.returned.proceedsDebited} currency={line.currency} />
                  </Figure>
                  <Figure label={t('seller.statement.paidOut')}>
                    <Money minor={line.paidOut} currency={line.currency} />
                  </Figure>
                </SimpleGrid>
                {line.bySource.length > 0 && (
                  <DataTable
                    caption={t('seller.statement.bySourceCaption')}
                    columns={bySourceColumns(line.currency)}
                    rows={line.bySource}
                    rowKey={(row) => `${row.source ?? ''}|${row.subSource ?? ''}`}
                  />
                )}
                <DataTable
                  caption={t('seller.statement.salesCaption')}
                  columns={saleColumns(line.currency)}
                  rows={line.sales}
                  rowKey={(row) => row.allocationId}
                />
                {line.payouts.length > 0 && (
                  <DataTable
                    caption={t('seller.statement.payoutsCaption')}
                    columns={payoutColumns(line.currency)}
                    rows={line.payouts}
                    rowKey={(row) => row.payoutId}
                  />
                )}
              </Stack>
            ))}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

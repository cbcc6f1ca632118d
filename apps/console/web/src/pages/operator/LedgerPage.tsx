import { Badge, Group, Paper, SegmentedControl, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { data, settlementApi } from '../../api/client';
import type { SettlementAnswer } from '../../api/types';
import { useCursorList } from '../../api/use-cursor-list';
import { DataTable } from '../../components/DataTable';
import { Instant, Money } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { formatNumber } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { useParticipantNames } from './shared';
import { PageTitle, SectionTitle } from '../../components/Headings';

type Account = SettlementAnswer<'LedgerController_accounts'>['items'][number];
type Transfer = SettlementAnswer<'LedgerController_transfers'>['items'][number];
type TransferStatus = Transfer['status'];
const accountColumn = createColumnHelper<Account>();
const transferColumn = createColumnHelper<Transfer>();

const ACCOUNT_KINDS = [
  'buyer_available',
  'buyer_reserved',
  'seller_pending',
  'seller_available',
  'exchange_commission_pending',
  'exchange_revenue',
  'exchange_refunds_payable',
  'external_cash',
] as const;
const STATUS_COLOR: Record<TransferStatus, string> = {
  pending: 'blue.9',
  posted: 'teal.9',
  voided: 'gray.7',
};

/** The books: whether each currency sums to zero, the accounts' balances, and the transfers. */
export default function LedgerPage() {
  const { t } = useTranslation();
  const accounts = useQuery({
    queryKey: ['operator', 'ledger', 'accounts'],
    queryFn: async () => data(await settlementApi.GET('/v1/ledger/accounts')),
    refetchInterval: 5000,
  });
  const status = useQuery({
    queryKey: ['operator', 'ledger', 'status'],
    queryFn: async () => data(await settlementApi.GET('/v1/ledger/status')),
    refetchInterval: 5000,
  });
  return (
    <Stack>
      <PageTitle>{t('operator.ledger.title')}</PageTitle>
      <QueryState query={accounts}>
        {(answer) => (
          <Stack>
            <Books accounts={answer.items} />
            <QueryState query={status}>{(projection) => <Projection status={projection} />}</QueryState>
            <Accounts accounts={answer.items} />
          </Stack>
        )}
      </QueryState>
      <Transfers />
    </Stack>
  );
}

/** Double entry: each currency's accounts must sum to zero. */
function Books({ accounts }: { accounts: Account[] }) {
  const { t } = useTranslation();
  const sums = new Map<string, number>();
  for (const account of accounts)
    sums.set(account.currency, (sums.get(account.currency) ?? 0) + account.balance);
  const currencies = [...sums.keys()].sort();
  return (
    <Stack gap="xs">
      <SectionTitle>{t('operator.ledger.booksTitle')}</SectionTitle>
      {currencies.length === 0 ? (
        <Text c="dimmed">{t('operator.ledger.noAccounts')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }}>
          {currencies.map((currency) => {
            const sum = sums.get(currency)!;
            return (
              <Paper key={currency} withBorder p="md" data-testid={`books-${currency}`}>
                <Group justify="space-between" wrap="nowrap">
                  <Text fw={700}>{currency}</Text>
                  <Badge color={sum === 0 ? 'teal.9' : 'red.9'} size="lg" variant="filled">
                    {sum === 0 ? t('operator.ledger.balanced') : t('operator.ledger.unbalanced')}
                  </Badge>
                </Group>
                <Text size="sm" mt="xs">
                  {t('operator.ledger.sum')}: <Money minor={sum} currency={currency} />
                </Text>
              </Paper>
            );
          })}
        </SimpleGrid>
      )}
    </Stack>
  );
}

function Projection({ status }: { status: SettlementAnswer<'LedgerController_status'> }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const healthy = !status.lastError && !status.lagging && status.running;
  return (
    <Paper withBorder p="md">
      <Group justify="space-between">
        <Title order={2} size="h4">
          {t('operator.ledger.projectionTitle')}
        </Title>
        <Badge color={healthy ? 'teal.9' : 'red.9'} variant="filled">
          {status.lastError
            ? t('operator.ledger.stopped')
            : status.lagging
              ? t('operator.ledger.lagging')
              : status.running
                ? t('operator.ledger.upToDate')
                : t('operator.ledger.notRunning')}
        </Badge>
      </Group>
      <Text size="sm" mt="xs">
        {t('operator.ledger.eventsApplied', { formatted: formatNumber(status.eventsApplied, locale) })}
      </Text>
      {status.lastError && (
        <Text size="sm" c="red.9">
          {status.lastError}
        </Text>
      )}
    </Paper>
  );
}

function Accounts({ accounts }: { accounts: Account[] }) {
  const { t } = useTranslation();
  const nameOf = useParticipantNames();
  const kindLabel = (kind: string) =>
    (ACCOUNT_KINDS as readonly string[]).includes(kind) ? t(`operator.ledger.kinds.${kind}`) : kind;
  const ownerLabel = (ownerId: string) =>
    ownerId === 'exchange'
      ? t('operator.ledger.theExchange')
      : ownerId === 'external'
        ? t('operator.ledger.outside')
        : (nameOf(ownerId) ?? t('operator.ledger.unknownOwner'));
  const columns = [
    accountColumn.accessor((account) => ownerLabel(account.ownerId), {
      id: 'owner',
      header: t('operator.ledger.owner'),
    }),
    accountColumn.accessor((account) => kindLabel(account.kind), {
      id: 'kind',
      header: t('operator.ledger.kind'),
    }),
    accountColumn.accessor('currency', { header: t('operator.ledger.currency') }),
    accountColumn.accessor('balance', {
      header: t('operator.ledger.balance'),
      cell: (cell) => <Money minor={cell.getValue()} currency={cell.row.original.currency} />,
    }),
  ];
  return (
    <Stack gap="xs">
      <SectionTitle>{t('operator.ledger.accountsTitle')}</SectionTitle>
      <DataTable
        caption={t('operator.ledger.accountsCaption')}
        columns={columns}
        rows={accounts}
        rowKey={(account) => `${account.accountId}:${account.currency}`}
      />
    </Stack>
  );
}

function Transfers() {
  const { t } = useTranslation();
  const nameOf = useParticipantNames();
  const [status, setStatus] = useState<TransferStatus | 'all'>('all');
  const list = useCursorList<Transfer>(
    ['operator', 'ledger', 'transfers', status],
    async (cursor) =>
      data(
        await settlementApi.GET('/v1/ledger/transfers', {
          params: { query: { cursor, limit: 15, status: status === 'all' ? undefined : status } },
        }),
      ),
    { refetchInterval: 5000 },
  );
  const money = (key: 'price' | 'commission' | 'proceeds', header: string) =>
    transferColumn.accessor(key, {
      header,
      cell: (cell) => <Money minor={cell.getValue()} currency={cell.row.original.currency} />,
    });
  const columns = [
    transferColumn.accessor('openedAt', {
      header: t('operator.ledger.openedAt'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
    transferColumn.accessor((transfer) => nameOf(transfer.buyerId) ?? '—', {
      id: 'buyer',
      header: t('operator.ledger.buyer'),
    }),
    transferColumn.accessor((transfer) => nameOf(transfer.sellerId) ?? '—', {
      id: 'seller',
      header: t('operator.ledger.seller'),
    }),
    transferColumn.accessor('status', {
      header: t('operator.ledger.status'),
      cell: (cell) => (
        <Badge color={STATUS_COLOR[cell.getValue()]} variant="filled">
          {t(`operator.ledger.transferStatus.${cell.getValue()}`)}
        </Badge>
      ),
    }),
    money('price', t('operator.ledger.price')),
    money('commission', t('operator.ledger.commission')),
    money('proceeds', t('operator.ledger.proceeds')),
  ];
  return (
    <Stack gap="xs">
      <SectionTitle>{t('operator.ledger.transfersTitle')}</SectionTitle>
      <SegmentedControl
        aria-label={t('operator.ledger.filterByStatus')}
        value={status}
        onChange={(value) => setStatus(value as TransferStatus | 'all')}
        data={[
          { value: 'all', label: t('operator.ledger.allStatuses') },
          ...(['pending', 'posted', 'voided'] as const).map((value) => ({
            value,
            label: t(`operator.ledger.transferStatus.${value}`),
          })),
        ]}
        style={{ alignSelf: 'flex-start', maxWidth: '100%' }}
      />
      <QueryState
        query={list.query}
        isEmpty={() => list.items.length === 0}
        empty={t('operator.ledger.noTransfers')}
      >
        {() => (
          <DataTable
            caption={t('operator.ledger.transfersCaption')}
            columns={columns}
            rows={list.items}
            rowKey={(transfer) => transfer.allocationId}
            hasMore={list.hasMore}
            loadingMore={list.query.isFetchingNextPage}
            onLoadMore={list.loadMore}
          />
        )}
      </QueryState>
    </Stack>
  );
}

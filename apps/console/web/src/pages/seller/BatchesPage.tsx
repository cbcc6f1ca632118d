import { Anchor, Badge, Progress, Stack } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { data, sellersApi } from '../../api/client';
import type { SellersAnswer } from '../../api/types';
import { useCursorList } from '../../api/use-cursor-list';
import { DataTable } from '../../components/DataTable';
import { Instant, Money } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { formatNumber } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { PageTitle } from '../../components/Headings';

export type Batch = SellersAnswer<'BatchesController_list'>['items'][number];

const column = createColumnHelper<Batch>();

export const BATCH_STATUS_COLOR: Record<Batch['status'], string> = {
  verifying: 'blue',
  verified: 'green',
  withdrawn: 'gray',
};

/** The seller's batches, newest first, with verification progress (refreshed while any is verifying). */
export default function BatchesPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const list = useCursorList<Batch>(
    ['seller', 'batches'],
    async (cursor) => data(await sellersApi.GET('/v1/batches', { params: { query: { cursor, limit: 50 } } })),
    { refetchInterval: 3000 },
  );

  const columns = [
    column.accessor('submittedAt', {
      header: t('seller.batches.submittedAt'),
      cell: (cell) => (
        <Anchor component={Link} to={`/seller/batches/${cell.row.original.batchId}`}>
          <Instant iso={cell.getValue()} />
        </Anchor>
      ),
    }),
    column.accessor((batch) => batch.terms.vertical ?? '', {
      id: 'vertical',
      header: t('seller.batches.vertical'),
    }),
    column.accessor('status', {
      header: t('seller.batches.status'),
      cell: (cell) => (
        <Badge color={BATCH_STATUS_COLOR[cell.getValue()]} c="dark.7" variant="light">
          {t(`seller.batchStatus.${cell.getValue()}`)}
        </Badge>
      ),
    }),
    column.accessor((batch) => batch.progress.share, {
      id: 'progress',
      header: t('seller.batches.progress'),
      cell: (cell) => (
        <Progress
          value={cell.getValue() * 100}
          aria-label={t('seller.batches.progress')}
          w={120}
          color={cell.getValue() === 1 ? 'green' : 'blue'}
        />
      ),
    }),
    column.accessor((batch) => batch.progress.accepted, {
      id: 'accepted',
      header: t('seller.batches.accepted'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    column.accessor((batch) => batch.progress.rejected, {
      id: 'rejected',
      header: t('seller.batches.rejected'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    column.accessor((batch) => batch.terms.floor ?? 0, {
      id: 'floor',
      header: t('seller.batches.floor'),
      cell: (cell) =>
        cell.row.original.terms.currency ? (
          <Money minor={cell.getValue()} currency={cell.row.original.terms.currency} />
        ) : (
          '—'
        ),
    }),
  ];

  return (
    <Stack>
      <PageTitle>{t('seller.batches.title')}</PageTitle>
      <QueryState
        query={list.query}
        isEmpty={() => list.items.length === 0}
        empty={t('seller.batches.empty')}
      >
        {() => (
          <DataTable
            caption={t('seller.batches.caption')}
            columns={columns}
            rows={list.items}
            rowKey={(batch) => batch.batchId}
            hasMore={list.hasMore}
            loadingMore={list.query.isFetchingNextPage}
            onLoadMore={list.loadMore}
          />
        )}
      </QueryState>
    </Stack>
  );
}

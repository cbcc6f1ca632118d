import { Anchor, Group, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { data, sellersApi } from '../../api/client';
import { useCursorList } from '../../api/use-cursor-list';
import { DataTable } from '../../components/DataTable';
import { Instant, Money } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { formatNumber } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { LeadStatus, leadName, type Lead } from './shared';
import { PageTitle } from '../../components/Headings';

const STATUSES = ['listed', 'sold', 'withdrawn', 'erased', 'expired'] as const;
type Status = (typeof STATUSES)[number];
const column = createColumnHelper<Lead>();

function matches(lead: Lead, text: string): boolean {
  if (!text) return true;
  const person = lead.personalData;
  const haystack = [
    lead.leadId,
    lead.attributes.region,
    lead.attributes.country,
    person?.firstName,
    person?.lastName,
    person?.email,
    person?.phone,
    person?.externalId,
  ]
    .filter(Boolean)
    .join(' ')
    .toLocaleLowerCase();
  return haystack.includes(text.toLocaleLowerCase());
}

/** The seller's leads: filtered by status and batch on the exchange, and by any text over the loaded rows. */
export default function LeadsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [params, setParams] = useSearchParams();
  const status = (STATUSES as readonly string[]).includes(params.get('status') ?? '')
    ? (params.get('status') as Status)
    : undefined;
  const batchId = params.get('batchId') ?? undefined;
  const [text, setText] = useState('');
  const list = useCursorList<Lead>(['seller', 'leads', status, batchId], async (cursor) =>
    data(
      await sellersApi.GET('/v1/leads', {
        params: {
          query: { cursor, limit: 100, ...(status ? { status } : {}), ...(batchId ? { batchId } : {}) },
        },
      }),
    ),
  );
  const rows = list.items.filter((lead) => matches(lead, text.trim()));

  const columns = [
    column.accessor((lead) => leadName(lead, t('seller.leadStatus.erased')), {
      id: 'person',
      header: t('seller.leads.person'),
      cell: (cell) => (
        <Anchor component={Link} to={`/seller/leads/${cell.row.original.leadId}`}>
          {leadName(cell.row.original, t('seller.leadStatus.erased'))}
        </Anchor>
      ),
    }),
    column.accessor('status', {
      header: t('seller.leads.status'),
      cell: (cell) => <LeadStatus lead={cell.row.original} />,
    }),
    column.accessor((lead) => lead.attributes.region ?? lead.attributes.country, {
      id: 'region',
      header: t('seller.leads.region'),
    }),
    column.accessor((lead) => lead.attributes.stage, { id: 'stage', header: t('seller.leads.stage') }),
    column.accessor((lead) => lead.quality.score, {
      id: 'quality',
      header: t('seller.leads.quality'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    column.accessor('floor', {
      header: t('seller.leads.floor'),
      cell: (cell) => <Money minor={cell.getValue()} currency={cell.row.original.currency} />,
    }),
    column.accessor('proceeds', {
      header: t('seller.leads.proceeds'),
      cell: (cell) => <Money minor={cell.getValue()} currency={cell.row.original.currency} />,
    }),
    column.accessor('listedAt', {
      header: t('seller.leads.listedAt'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
  ];

  return (
    <Stack>
      <PageTitle>{t('seller.leads.title')}</PageTitle>
      <Group align="flex-end" wrap="wrap">
        <NativeSelect
          label={t('seller.leads.status')}
          value={status ?? ''}
          onChange={(event) => {
            const next = new URLSearchParams(params);
            if (event.currentTarget.value) next.set('status', event.currentTarget.value);
            else next.delete('status');
            setParams(next);
          }}
          data={[
            { value: '', label: t('seller.leads.any') },
            ...STATUSES.map((value) => ({ value, label: t(`seller.leadStatus.${value}`) })),
          ]}
        />
        <TextInput
          label={t('seller.leads.filter')}
          placeholder={t('seller.leads.filterHint')}
          value={text}
          onChange={(event) => setText(event.currentTarget.value)}
          type="search"
          style={{ flex: '1 1 220px' }}
        />
      </Group>
      {batchId && (
        <Text size="sm">
          <Anchor component={Link} to={`/seller/batches/${batchId}`}>
            {t('seller.nav.batch')}
          </Anchor>
        </Text>
      )}
      <QueryState query={list.query} isEmpty={() => list.items.length === 0} empty={t('seller.leads.empty')}>
        {() => (
          <DataTable
            caption={t('seller.leads.caption')}
            columns={columns}
            rows={rows}
            rowKey={(lead) => lead.leadId}
            hasMore={list.hasMore}
            loadingMore={list.query.isFetchingNextPage}
            onLoadMore={list.loadMore}
          />
        )}
      </QueryState>
    </Stack>
  );
}

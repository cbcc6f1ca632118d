import { Alert, Anchor, Badge, Button, Group, Modal, NativeSelect, Stack, Text } from '@mantine/core';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { buyersApi, data, download } from '../../api/client';
import type { BuyersAnswer } from '../../api/types';
import { useCursorList } from '../../api/use-cursor-list';
import { DataTable } from '../../components/DataTable';
import { Instant, Money } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatMoney } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { ConversionForm, ReturnForm } from './PurchaseForms';
import { personOf, type BuyerOrder, type Person, type Purchase } from './purchased-lead';
import { PageTitle, SectionTitle } from '../../components/Headings';

type Row = Purchase & { person: Person | undefined };
type Return = BuyersAnswer<'PurchasedLeadsController_returns'>['items'][number];

const column = createColumnHelper<Row>();
/** A badge in a table keeps its whole text: the table may not squeeze it to an ellipsis. */
const BADGE_WHOLE = { root: { flexShrink: 0, overflow: 'visible' }, label: { overflow: 'visible' } } as const;
const returnColumn = createColumnHelper<Return>();

export const RETURN_STATUS_COLOR: Record<string, string> = {
  requested: 'yellow',
  seller_responded: 'blue',
  escalated: 'orange',
  accepted: 'gray',
  rejected: 'red',
};

/** An order as a person recognises it: vertical, bid and status. */
export function useOrderLabel() {
  const { t } = useTranslation();
  const locale = useLocale();
  return (order: BuyerOrder) =>
    t('purchases.orderLabel', {
      vertical: order.vertical,
      bid: formatMoney(order.terms.bid, order.currency, locale),
      status: t(`purchases.orderStatus.${order.status}`),
    });
}

/**
 * The buyer's purchased leads with the people's names and contacts (new ones appear by themselves),
 * the CSV export, per lead a return or a conversion, and the returns with where each stands.
 */
export default function PurchasedLeadsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const orderId = params.get('orderId') ?? '';
  const orderLabel = useOrderLabel();
  const locale = useLocale();
  const [action, setAction] = useState<{ kind: 'return' | 'conversion'; purchase: Row }>();
  const [answered, setAnswered] = useState<ReactNode>();

  const orders = useQuery({
    queryKey: ['buyer', 'orders'],
    queryFn: async () => data(await buyersApi.GET('/v1/orders')),
    // An order placed elsewhere (the order builder, the API) joins the filter by itself.
    refetchInterval: 10_000,
  });
  const list = useCursorList<Purchase>(
    ['buyer', 'purchased-leads', orderId],
    async (cursor) =>
      data(
        await buyersApi.GET('/v1/purchased-leads', {
          params: { query: { cursor, limit: 100, ...(orderId ? { orderId } : {}) } },
        }),
      ),
    { refetchInterval: 3000 },
  );
  // The list carries no personal data: each lead's own answer does (read once, it does not change).
  const details = useQueries({
    queries: list.items.map((purchase) => ({
      queryKey: ['buyer', 'purchased-lead', purchase.allocationId],
      queryFn: async () =>
        data(
          await buyersApi.GET('/v1/purchased-leads/{allocationId}', {
            params: { path: { allocationId: purchase.allocationId } },
          }),
        ),
      staleTime: Infinity,
    })),
  });
  const rows: Row[] = list.items.map((purchase, index) => ({
    ...purchase,
    person: personOf(details[index]?.data),
  }));
  const people = new Map(rows.map((row) => [row.allocationId, row.person]));
  const returns = useCursorList<Return>(
    ['buyer', 'returns'],
    async (cursor) => data(await buyersApi.GET('/v1/returns', { params: { query: { cursor, limit: 50 } } })),
    { refetchInterval: 5000 },
  );
  const exportCsv = useMutation({
    mutationFn: () =>
      download(
        'buyers',
        `/v1/purchased-leads/export.csv${orderId ? `?orderId=${encodeURIComponent(orderId)}` : ''}`,
        'purchased-leads.csv',
      ),
  });

  const nameOf = (person: Person | undefined) => {
    if (!person) return '…';
    if (person.status === 'erased') return t('purchases.leads.erased');
    return person.name || t('purchases.leads.unavailable');
  };
  const personCell = (value: string, person: Person | undefined) =>
    person ? value || (person.status === 'erased' ? t('purchases.leads.erased') : '—') : '…';

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['buyer', 'purchased-leads'] });
    void queryClient.invalidateQueries({ queryKey: ['buyer', 'returns'] });
  };

  const columns = [
    column.accessor('allocatedAt', {
      header: t('purchases.leads.allocatedAt'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
    column.accessor((row) => row.person?.name ?? '', {
      id: 'name',
      header: t('purchases.leads.name'),
      cell: (cell) => nameOf(cell.row.original.person),
    }),
    column.accessor((row) => row.person?.phone ?? '', {
      id: 'phone',
      header: t('purchases.leads.phone'),
      cell: (cell) => (
        <span style={{ whiteSpace: 'nowrap' }}>{personCell(cell.getValue(), cell.row.original.person)}</span>
      ),
    }),
    column.accessor((row) => row.person?.email ?? '', {
      id: 'email',
      header: t('purchases.leads.email'),
      cell: (cell) => personCell(cell.getValue(), cell.row.original.person),
    }),
    column.accessor((row) => row.attributes?.region ?? '', {
      id: 'region',
      header: t('purchases.leads.region'),
    }),
    column.accessor((row) => row.attributes?.age ?? 0, {
      id: 'age',
      header: t('purchases.leads.age'),
      cell: (cell) => cell.row.original.attributes?.age ?? '—',
    }),
    column.accessor('price', {
      header: t('purchases.leads.price'),
      cell: (cell) => <Money minor={cell.getValue()} currency={cell.row.original.currency} />,
    }),
    column.accessor((row) => `${row.returnStatus ?? ''}${row.converted ? 'converted' : ''}`, {
      id: 'status',
      header: t('purchases.leads.status'),
      cell: (cell) => {
        const { returnStatus, converted } = cell.row.original;
        return (
          <Group gap={4} wrap="nowrap">
            {returnStatus && (
              <Badge color={RETURN_STATUS_COLOR[returnStatus] ?? 'gray'} variant="dot" styles={BADGE_WHOLE}>
                {t(`purchases.returnStatus.${returnStatus}`, { defaultValue: returnStatus })}
              </Badge>
            )}
            {converted && (
              <Badge color="green" variant="dot" styles={BADGE_WHOLE}>
                {t('purchases.leads.converted')}
              </Badge>
            )}
          </Group>
        );
      },
    }),
    column.display({
      id: 'actions',
      header: t('purchases.leads.actions'),
      cell: (cell) => {
        const purchase = cell.row.original;
        return (
          <Group
            gap={4}
            wrap="nowrap"
            role="group"
            aria-label={t('purchases.leads.rowActions', { name: nameOf(purchase.person) })}
          >
            <Button
              size="compact-sm"
              variant="default"
              disabled={purchase.returnStatus !== null}
              onClick={() => setAction({ kind: 'return', purchase })}
            >
              {t('purchases.leads.returnLead')}
            </Button>
            <Button
              size="compact-sm"
              variant="default"
              disabled={purchase.converted}
              onClick={() => setAction({ kind: 'conversion', purchase })}
            >
              {t('purchases.leads.reportConversion')}
            </Button>
          </Group>
        );
      },
    }),
  ];

  const returnColumns = [
    returnColumn.accessor('requestedAt', {
      header: t('purchases.returns.requestedAt'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
    returnColumn.accessor((item) => nameOf(people.get(item.allocationId)), {
      id: 'lead',
      header: t('purchases.returns.lead'),
    }),
    returnColumn.accessor('reason', {
      header: t('purchases.returns.reason'),
      cell: (cell) => t(`purchases.returnForm.reasons.${cell.getValue()}`, { defaultValue: cell.getValue() }),
    }),
    returnColumn.accessor('status', {
      header: t('purchases.returns.status'),
      cell: (cell) => (
        <Badge color={RETURN_STATUS_COLOR[cell.getValue()] ?? 'gray'} variant="dot" styles={BADGE_WHOLE}>
          {t(`purchases.returnStatus.${cell.getValue()}`, { defaultValue: cell.getValue() })}
        </Badge>
      ),
    }),
    returnColumn.accessor((item) => item.decision?.rationale ?? '—', {
      id: 'decision',
      header: t('purchases.returns.decision'),
    }),
    returnColumn.accessor((item) => item.replacement ?? '', {
      id: 'replacement',
      header: t('purchases.returns.replacement'),
      cell: (cell) =>
        cell.row.original.replacement
          ? t(`purchases.returns.replacementState.${cell.row.original.replacement}`)
          : '—',
    }),
  ];

  const selectedOrder = orders.data?.items.find((order) => order.orderId === orderId);

  return (
    <Stack>
      <PageTitle>{t('purchases.leads.title')}</PageTitle>
      <Text c="dimmed" size="sm">
        {t('purchases.leads.intro')}
      </Text>
      <Group align="flex-end" wrap="wrap">
        <NativeSelect
          label={t('purchases.leads.order')}
          value={orderId}
          onChange={(event) =>
            setParams(event.currentTarget.value ? { orderId: event.currentTarget.value } : {})
          }
          data={[
            { value: '', label: t('purchases.leads.allOrders') },
            ...(orders.data?.items ?? []).map((order) => ({
              value: order.orderId,
              label: orderLabel(order),
            })),
          ]}
          maw="100%"
          miw={260}
          style={{ flex: '1 1 260px', maxWidth: 420 }}
        />
        {selectedOrder && (
          <Anchor component={Link} to={`/buyer/orders/${selectedOrder.orderId}/report`}>
            {t('purchases.leads.report')}
          </Anchor>
        )}
        <Button variant="default" loading={exportCsv.isPending} onClick={() => exportCsv.mutate()}>
          {t('purchases.leads.export')}
        </Button>
      </Group>
      {exportCsv.isError && <ProblemAlert error={exportCsv.error} />}
      {exportCsv.isSuccess && (
        <Text size="sm" role="status">
          {t('purchases.leads.exported')}
        </Text>
      )}
      {answered && (
        <Alert color="green" role="status" withCloseButton onClose={() => setAnswered(undefined)}>
          {answered}
        </Alert>
      )}
      <QueryState query={list.query} isEmpty={() => rows.length === 0} empty={t('purchases.leads.empty')}>
        {() => (
          <DataTable
            caption={t('purchases.leads.caption')}
            columns={columns}
            rows={rows}
            rowKey={(row) => row.allocationId}
            hasMore={list.hasMore}
            loadingMore={list.query.isFetchingNextPage}
            onLoadMore={list.loadMore}
          />
        )}
      </QueryState>

      <SectionTitle>{t('purchases.returns.title')}</SectionTitle>
      <QueryState
        query={returns.query}
        isEmpty={() => returns.items.length === 0}
        empty={t('purchases.returns.empty')}
      >
        {() => (
          <DataTable
            caption={t('purchases.returns.caption')}
            columns={returnColumns}
            rows={returns.items}
            rowKey={(item) => item.allocationId}
            hasMore={returns.hasMore}
            loadingMore={returns.query.isFetchingNextPage}
            onLoadMore={returns.loadMore}
          />
        )}
      </QueryState>

      <Modal
        opened={action !== undefined}
        onClose={() => setAction(undefined)}
        title={
          action &&
          t(action.kind === 'return' ? 'purchases.returnForm.title' : 'purchases.conversionForm.title', {
            name: nameOf(action.purchase.person),
          })
        }
        size="lg"
      >
        {action?.kind === 'return' && (
          <ReturnForm
            purchase={action.purchase}
            onDone={(answer) => {
              setAnswered(
                t('purchases.returnForm.requested', {
                  status: t(`purchases.returnStatus.${answer.status}`),
                  price: formatMoney(action.purchase.price, action.purchase.currency, locale),
                }),
              );
              setAction(undefined);
              refresh();
            }}
          />
        )}
        {action?.kind === 'conversion' && (
          <ConversionForm
            purchase={action.purchase}
            onDone={() => {
              setAnswered(t('purchases.conversionForm.recorded', { name: nameOf(action.purchase.person) }));
              setAction(undefined);
              refresh();
            }}
          />
        )}
      </Modal>
    </Stack>
  );
}

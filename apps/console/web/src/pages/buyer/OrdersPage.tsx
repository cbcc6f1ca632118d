import { Alert, Anchor, Badge, Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { buyersApi, data } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { Money } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { formatMoney, formatNumber } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import type { Order } from './order-builder/AmendOrderModal';
import { OrderActions, useOrderName, type OrderAnswerNote } from './order-builder/OrderActions';
import { PageTitle } from '../../components/Headings';

const column = createColumnHelper<Order>();

export const ORDER_STATUS_COLOR: Record<Order['status'], string> = {
  open: 'green',
  paused: 'yellow',
  cancelled: 'gray',
  closed: 'blue',
};

/** A share as a progress bar with its figures beside it. */
function Share({ value, of, text, label }: { value: number; of: number; text: string; label: string }) {
  const share = of > 0 ? Math.min(1, value / of) : 0;
  return (
    <Stack gap={2} miw={130}>
      <Progress value={share * 100} aria-label={`${label}: ${text}`} color={share >= 1 ? 'green' : 'blue'} />
      <Text size="xs">{text}</Text>
    </Stack>
  );
}

/** The buyer's orders, newest first, with their progress and the changes a live order takes. */
export default function OrdersPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const orderName = useOrderName();
  const [note, setNote] = useState<OrderAnswerNote | null>(null);
  const orders = useQuery({
    queryKey: ['buyer', 'orders'],
    queryFn: async () => data(await buyersApi.GET('/v1/orders')),
    refetchInterval: 3000,
  });

  const columns = [
    column.accessor((order) => orderName(order), {
      id: 'order',
      header: t('buyer.orders.order'),
      cell: (cell) => (
        <Anchor component={Link} to={`/buyer/orders/${cell.row.original.orderId}`}>
          {cell.getValue()}
        </Anchor>
      ),
    }),
    column.accessor('status', {
      header: t('buyer.orders.status'),
      cell: (cell) => (
        <Badge color={ORDER_STATUS_COLOR[cell.getValue()]} variant="dot" style={{ minWidth: 'max-content' }}>
          {t(`buyer.status.${cell.getValue()}`)}
        </Badge>
      ),
    }),
    column.accessor((order) => order.progress.leadsBought / order.terms.quantity, {
      id: 'bought',
      header: t('buyer.orders.bought'),
      cell: (cell) => {
        const order = cell.row.original;
        return (
          <Share
            value={order.progress.leadsBought}
            of={order.terms.quantity}
            label={t('buyer.orders.bought')}
            text={t('buyer.orders.boughtOf', {
              bought: formatNumber(order.progress.leadsBought, locale),
              quantity: formatNumber(order.terms.quantity, locale),
            })}
          />
        );
      },
    }),
    column.accessor((order) => order.progress.spend / order.terms.budget, {
      id: 'spent',
      header: t('buyer.orders.spent'),
      cell: (cell) => {
        const order = cell.row.original;
        return (
          <Share
            value={order.progress.spend}
            of={order.terms.budget}
            label={t('buyer.orders.spent')}
            text={t('buyer.orders.spentOf', {
              spent: formatMoney(order.progress.spend, order.currency, locale),
              budget: formatMoney(order.terms.budget, order.currency, locale),
            })}
          />
        );
      },
    }),
    column.accessor('reserved', {
      header: t('buyer.orders.reserved'),
      cell: (cell) => <Money minor={cell.getValue()} currency={cell.row.original.currency} />,
    }),
    column.display({
      id: 'actions',
      header: t('buyer.orders.actions'),
      cell: (cell) => <OrderActions order={cell.row.original} onAnswer={setNote} />,
    }),
  ];

  return (
    <Stack>
      <Group justify="space-between">
        <PageTitle>{t('buyer.orders.title')}</PageTitle>
        <Button component={Link} to="/buyer/orders/new" variant="light">
          {t('buyer.orders.newOrder')}
        </Button>
      </Group>
      {note && (
        <Alert
          color={note.color}
          role={note.color === 'red' ? 'alert' : 'status'}
          withCloseButton
          closeButtonLabel={t('buyer.orders.dismiss')}
          onClose={() => setNote(null)}
          data-testid="order-answer"
        >
          {note.text}
        </Alert>
      )}
      <QueryState
        query={orders}
        isEmpty={(answer) => answer.items.length === 0}
        empty={t('buyer.orders.empty')}
      >
        {(answer) => (
          <DataTable
            caption={t('buyer.orders.caption')}
            columns={columns}
            rows={answer.items}
            rowKey={(order) => order.orderId}
          />
        )}
      </QueryState>
    </Stack>
  );
}

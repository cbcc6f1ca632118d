import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { buyersApi, data } from '../../../api/client';
import { toApiProblem } from '../../../api/problem';
import { formatMoney } from '../../../format/format';
import { useLocale } from '../../../i18n/use-locale';
import { AmendOrderModal, type Order } from './AmendOrderModal';

/** What the exchange answered to a change of an order, as the page shows it. */
export interface OrderAnswerNote {
  color: 'green' | 'red' | 'blue';
  text: string;
}

/** A short readable name of an order (orders have no name of their own). */
export function useOrderName() {
  const { t } = useTranslation();
  const locale = useLocale();
  return (order: Order) =>
    t('buyer.orders.orderName', {
      vertical: order.vertical,
      quantity: order.terms.quantity,
      bid: formatMoney(order.terms.bid, order.currency, locale),
    });
}

/** Pause or resume, amend, cancel (after a confirmation) — each reporting what the exchange answered. */
export function OrderActions({
  order,
  onAnswer,
}: {
  order: Order;
  onAnswer: (note: OrderAnswerNote) => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const queryClient = useQueryClient();
  const name = useOrderName()(order);
  const [confirming, setConfirming] = useState(false);
  const [amending, setAmending] = useState(false);
  const money = (minor: number) => formatMoney(minor, order.currency, locale);
  const live = order.status === 'open' || order.status === 'paused';
  const unspent = Math.max(0, order.reserved - order.progress.spend);

  const change = useMutation({
    mutationFn: async (action: 'pause' | 'resume' | 'cancel') =>
      data(
        await buyersApi.POST(`/v1/orders/{orderId}/${action}`, {
          params: { path: { orderId: order.orderId } },
        }),
      ),
    onSuccess: (answer, action) => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: ['buyer'] });
      if (action === 'pause')
        onAnswer({ color: 'blue', text: t('buyer.orders.paused', { amount: money(answer.reserved) }) });
      else if (action === 'resume') onAnswer({ color: 'green', text: t('buyer.orders.resumed') });
      else if (answer.status === 'closed')
        onAnswer({
          color: 'green',
          text: t('buyer.orders.cancelledReleased', { amount: money(answer.released) }),
        });
      else
        onAnswer({
          color: 'green',
          text: t('buyer.orders.cancelled', {
            amount: money(Math.max(0, answer.reserved - answer.progress.spend)),
          }),
        });
    },
    onError: (error) => {
      setConfirming(false);
      onAnswer({ color: 'red', text: t('buyer.orders.refused', { text: toApiProblem(error).message }) });
    },
  });

  if (!live) return null;
  return (
    <>
      <Group gap={6} wrap="nowrap">
        {order.status === 'open' ? (
          <Button
            size="compact-sm"
            variant="default"
            aria-label={t('buyer.orders.pauseOrder', { order: name })}
            loading={change.isPending && change.variables === 'pause'}
            onClick={() => change.mutate('pause')}
          >
            {t('buyer.orders.pause')}
          </Button>
        ) : (
          <Button
            size="compact-sm"
            variant="default"
            aria-label={t('buyer.orders.resumeOrder', { order: name })}
            loading={change.isPending && change.variables === 'resume'}
            onClick={() => change.mutate('resume')}
          >
            {t('buyer.orders.resume')}
          </Button>
        )}
        <Button
          size="compact-sm"
          variant="default"
          aria-label={t('buyer.orders.amendOrder', { order: name })}
          onClick={() => setAmending(true)}
        >
          {t('buyer.orders.amend')}
        </Button>
        <Button
          size="compact-sm"
          color="red.9"
          aria-label={t('buyer.orders.cancelOrder', { order: name })}
          onClick={() => setConfirming(true)}
        >
          {t('buyer.orders.cancel')}
        </Button>
      </Group>
      <Modal
        opened={confirming}
        onClose={() => setConfirming(false)}
        title={t('buyer.orders.confirmCancelTitle')}
        closeButtonProps={{ 'aria-label': t('buyer.orders.keepOrder') }}
      >
        <Stack>
          <Text size="sm">{name}</Text>
          <Text size="sm">{t('buyer.orders.confirmCancelText', { amount: money(unspent) })}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              {t('buyer.orders.keepOrder')}
            </Button>
            <Button color="red.9" loading={change.isPending} onClick={() => change.mutate('cancel')}>
              {t('buyer.orders.cancel')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      {amending && (
        <AmendOrderModal
          order={order}
          onClose={() => setAmending(false)}
          onAmended={(answer) => {
            setAmending(false);
            void queryClient.invalidateQueries({ queryKey: ['buyer'] });
            onAnswer({
              color: 'green',
              text: t('buyer.orders.amended', {
                bid: money(answer.terms.bid),
                quantity: answer.terms.quantity,
                budget: money(answer.terms.budget),
              }),
            });
          }}
        />
      )}
    </>
  );
}

import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useForm, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { buyersApi, data } from '../../../api/client';
import type { BuyersAnswer } from '../../../api/types';
import { ProblemAlert } from '../../../components/ProblemAlert';
import {
  fromTerms,
  orderFormSchema,
  showOrderProblems,
  termsTheFormKeeps,
  toTerms,
  type OrderFormValues,
} from './order-form';
import { FilterFields, PriceFields } from './OrderFields';
import { ScheduleFields } from './ScheduleFields';
import { SourceFilterFields } from './SourceFilterFields';

export type Order = BuyersAnswer<'OrdersController_get'>;

/** Amend a live order: every term at once (PUT /v1/orders/:id/terms), in a modal form. */
export function AmendOrderModal({
  order,
  onClose,
  onAmended,
}: {
  order: Order;
  onClose: () => void;
  onAmended: (order: Order) => void;
}) {
  const { t } = useTranslation();
  const resolver = useMemo(
    () => zodResolver(orderFormSchema(order.currency)) as unknown as Resolver<OrderFormValues>,
    [order.currency],
  );
  const form = useForm<OrderFormValues>({
    defaultValues: fromTerms(order.terms, order.vertical, order.currency),
    resolver,
    mode: 'onTouched',
  });
  const amend = useMutation({
    mutationFn: async (values: OrderFormValues) => {
      const terms = toTerms(values, order.currency);
      return data(
        await buyersApi.PUT('/v1/orders/{orderId}/terms', {
          params: { path: { orderId: order.orderId } },
          body: { ...terms, filters: { ...termsTheFormKeeps(order.terms), ...terms.filters } },
        }),
      );
    },
    onSuccess: onAmended,
    onError: (error) => showOrderProblems(error, form),
  });
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('buyer.orders.amendTitle')}
      size="xl"
      closeButtonProps={{ 'aria-label': t('buyer.orders.dismiss') }}
    >
      <form onSubmit={(event) => void form.handleSubmit((values) => amend.mutate(values))(event)} noValidate>
        <Stack>
          <Text size="sm" c="dimmed">
            {t('buyer.orders.amendIntro')}
          </Text>
          <PriceFields form={form} currency={order.currency} />
          <ScheduleFields form={form} />
          <FilterFields form={form} withVertical={false} />
          <SourceFilterFields form={form} />
          {amend.isError && <ProblemAlert error={amend.error} title={t('buyer.builder.refused')} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('actions.cancel')}
            </Button>
            <Button type="submit" loading={amend.isPending}>
              {t('buyer.orders.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

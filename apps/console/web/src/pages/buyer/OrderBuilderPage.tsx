import { Alert, Anchor, Button, Grid, Group, Stack, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useForm, useWatch, type Resolver } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { buyersApi, data } from '../../api/client';
import { formatMoney } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useBuyerCurrency } from './order-builder/currency';
import {
  EMPTY_ORDER,
  orderFormSchema,
  showOrderProblems,
  toPlaceOrder,
  toPreview,
  type OrderFormValues,
} from './order-builder/order-form';
import { FilterFields, PriceFields } from './order-builder/OrderFields';
import { PreviewPanel } from './order-builder/PreviewPanel';
import { ScheduleFields } from './order-builder/ScheduleFields';
import { SourceFilterFields } from './order-builder/SourceFilterFields';
import { PageTitle } from '../../components/Headings';

/** Alert titles in the text colour: Mantine's coloured titles are under 4.5:1 on their light background. */
const DARK_TITLE = { title: { color: 'var(--mantine-color-black)' } };

/** Amounts are read with two decimals while the market's currency is not known yet. */
const FALLBACK_CURRENCY = 'EUR';

/**
 * The order builder: every filter and term of a purchase order, with a live preview of what the
 * order would meet in the market (debounced while the buyer types). Placing reserves the budget.
 */
export default function OrderBuilderPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const locale = useLocale();
  const { currency: known, isPending } = useBuyerCurrency();
  const currency = known ?? FALLBACK_CURRENCY;
  const resolver = useMemo(
    () => zodResolver(orderFormSchema(currency)) as unknown as Resolver<OrderFormValues>,
    [currency],
  );
  const form = useForm<OrderFormValues>({ defaultValues: EMPTY_ORDER, resolver, mode: 'onTouched' });
  const values = useWatch({ control: form.control }) as OrderFormValues;
  const previewBody = useMemo(() => toPreview(values, currency), [values, currency]);
  const [debouncedBody] = useDebouncedValue(previewBody, 400);
  const [debouncedVertical] = useDebouncedValue(values.vertical, 400);

  const place = useMutation({
    mutationFn: async (body: ReturnType<typeof toPlaceOrder>) =>
      data(await buyersApi.POST('/v1/orders', { body })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['buyer'] }),
    onError: (error) => showOrderProblems(error, form),
  });

  const onSubmit = form.handleSubmit((valid) => place.mutate(toPlaceOrder(valid, currency)));
  const placed = place.data;

  return (
    <Stack>
      <PageTitle>{t('buyer.builder.title')}</PageTitle>
      <Text c="dimmed" maw={760}>
        {t('buyer.builder.intro')}
      </Text>
      {!isPending && known === null && (
        <Alert color="yellow" title={t('buyer.dashboard.noBalance')} styles={DARK_TITLE}>
          {t('buyer.builder.currencyUnknown')}
        </Alert>
      )}
      {placed && (
        <Alert
          color="green"
          styles={DARK_TITLE}
          title={t('buyer.builder.placed')}
          role="status"
          data-testid="order-placed"
        >
          <Stack gap={6}>
            <Text size="sm" data-testid="order-reserved">
              {t('buyer.builder.placedText', {
                amount: formatMoney(placed.reserved, placed.currency, locale),
              })}
            </Text>
            <Group gap="md">
              <Anchor component={Link} to={`/buyer/orders/${placed.orderId}`}>
                {t('buyer.builder.openOrder')}
              </Anchor>
              <Anchor component={Link} to="/buyer/orders">
                {t('buyer.builder.allOrders')}
              </Anchor>
            </Group>
          </Stack>
        </Alert>
      )}
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <form onSubmit={(event) => void onSubmit(event)} noValidate aria-label={t('buyer.builder.title')}>
            <Stack>
              <FilterFields form={form} withVertical />
              <SourceFilterFields form={form} />
              <PriceFields form={form} currency={currency} currencyLabel={known ?? '—'} />
              <ScheduleFields form={form} />
              {place.isError && <ProblemAlert error={place.error} title={t('buyer.builder.refused')} />}
              <Group>
                <Button type="submit" loading={place.isPending}>
                  {t('buyer.builder.place')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <div style={{ position: 'sticky', top: 76 }}>
            <PreviewPanel body={debouncedBody} vertical={debouncedVertical} />
          </div>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

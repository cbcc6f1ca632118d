import { Button, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { buyersApi, data, settlementApi } from '../../api/client';
import { toApiProblem } from '../../api/problem';
import type { SettlementAnswer } from '../../api/types';
import { useCursorList } from '../../api/use-cursor-list';
import { DataTable } from '../../components/DataTable';
import { Instant, Money, MoneyCells } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Notice } from './Notice';
import { parseMajorUnits } from '../../format/format';
import { showFieldProblems, useAllParticipants, useParticipantNames } from './shared';
import { PageTitle, SectionTitle } from '../../components/Headings';

type Payout = SettlementAnswer<'LedgerController_payoutHistory'>['items'][number];
const column = createColumnHelper<Payout>();

/** Money in and out: confirm a buyer's deposit; pay a seller out; the payouts so far. */
export default function FundsPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <PageTitle>{t('operator.funds.title')}</PageTitle>
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        <DepositForm />
        <PayoutForm />
      </SimpleGrid>
      <PayoutHistory />
    </Stack>
  );
}

/** The currencies of the open markets (what a deposit or payout can be in). */
function useMarketCurrencies(): string[] {
  const markets = useQuery({
    queryKey: ['operator', 'markets'],
    queryFn: async () => data(await settlementApi.GET('/v1/markets')),
  });
  return [...new Set((markets.data?.items ?? []).map((market) => market.currency))].sort();
}

function DepositForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const buyers = useAllParticipants('buyer');
  const currencies = useMarketCurrencies();
  const schema = useMemo(
    () =>
      z
        .object({
          buyerId: z
            .string({ error: t('operator.funds.buyerRequired') })
            .min(1, t('operator.funds.buyerRequired')),
          currency: z
            .string({ error: t('operator.funds.currencyRequired') })
            .regex(/^[A-Z]{3}$/, t('operator.funds.currencyRequired')),
          amount: z.string().trim().min(1, t('operator.funds.amountRequired')),
          reference: z.string().trim().min(1, t('operator.funds.referenceRequired')).max(200),
        })
        .superRefine((values, context) => {
          if (!/^[A-Z]{3}$/.test(values.currency)) return;
          const minor = parseMajorUnits(values.amount, values.currency);
          if (minor === null || minor <= 0)
            context.addIssue({
              code: 'custom',
              path: ['amount'],
              message: t('operator.funds.amountInvalid'),
            });
        }),
    [t],
  );
  type Form = z.infer<typeof schema>;
  const form = useForm<Form>({ resolver: zodResolver(schema), defaultValues: { amount: '', reference: '' } });
  const deposit = useMutation({
    mutationFn: async (values: Form) =>
      data(
        await buyersApi.POST('/v1/buyers/{buyerId}/deposits', {
          params: { path: { buyerId: values.buyerId } },
          body: {
            amount: parseMajorUnits(values.amount, values.currency)!,
            currency: values.currency,
            reference: values.reference,
          },
        }),
      ),
    onSuccess: () => {
      form.reset({ ...form.getValues(), amount: '', reference: '' });
      void queryClient.invalidateQueries({ queryKey: ['operator', 'ledger'] });
    },
    onError: (error) => showFieldProblems(error, form.setError, ['amount', 'currency', 'reference']),
  });
  const errors = form.formState.errors;
  const buyerName = (id: string) => buyers.data?.find((buyer) => buyer.participantId === id)?.name ?? '';

  return (
    <Paper withBorder p="md">
      <form
        onSubmit={form.handleSubmit((values) => deposit.mutate(values))}
        noValidate
        aria-label={t('operator.funds.depositTitle')}
      >
        <Stack>
          <SectionTitle>{t('operator.funds.depositTitle')}</SectionTitle>
          <Text size="sm" c="dimmed">
            {t('operator.funds.depositIntro')}
          </Text>
          <Controller
            control={form.control}
            name="buyerId"
            render={({ field }) => (
              <Select
                label={t('operator.funds.buyer')}
                placeholder={buyers.isPending ? t('state.loading') : t('operator.funds.pickBuyer')}
                data={(buyers.data ?? []).map((buyer) => ({ value: buyer.participantId, label: buyer.name }))}
                searchable
                nothingFoundMessage={t('operator.funds.noBuyers')}
                value={field.value ?? null}
                onChange={(value) => field.onChange(value ?? '')}
                onBlur={field.onBlur}
                error={errors.buyerId?.message}
                required
              />
            )}
          />
          <Group grow align="flex-start" preventGrowOverflow={false} wrap="wrap">
            <TextInput
              label={t('operator.funds.amount')}
              description={t('operator.funds.amountHint')}
              inputMode="decimal"
              {...form.register('amount')}
              error={errors.amount?.message}
              required
              miw={140}
            />
            <CurrencySelect control={form.control} currencies={currencies} error={errors.currency?.message} />
          </Group>
          <TextInput
            label={t('operator.funds.reference')}
            description={t('operator.funds.referenceHint')}
            {...form.register('reference')}
            error={errors.reference?.message}
            required
          />
          <Group>
            <Button type="submit" loading={deposit.isPending}>
              {t('operator.funds.confirmDeposit')}
            </Button>
          </Group>
          {deposit.isError && <ProblemAlert error={deposit.error} />}
          {deposit.data && (
            <Notice title={t('operator.funds.depositConfirmed', { name: buyerName(deposit.data.buyerId) })}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('operator.funds.deposited')}</Table.Th>
                    <Table.Th>{t('operator.funds.available')}</Table.Th>
                    <Table.Th>{t('operator.funds.reserved')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {deposit.data.balances.map((balance) => (
                    <Table.Tr key={balance.currency}>
                      <MoneyCells
                        amounts={[balance.deposited, balance.available, balance.reserved]}
                        currency={balance.currency}
                      />
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Notice>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

function CurrencySelect({
  control,
  currencies,
  error,
}: {
  control: any;
  currencies: string[];
  error?: string;
}) {
  const { t } = useTranslation();
  return (
    <Controller
      control={control}
      name="currency"
      render={({ field }) => (
        <Select
          label={t('operator.funds.currency')}
          placeholder={t('operator.funds.pickCurrency')}
          data={currencies}
          nothingFoundMessage={t('operator.funds.noMarkets')}
          value={(field.value as string | undefined) ?? null}
          onChange={(value) => field.onChange(value ?? '')}
          onBlur={field.onBlur}
          error={error}
          required
          miw={120}
        />
      )}
    />
  );
}

function PayoutForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const sellers = useAllParticipants('seller');
  const currencies = useMarketCurrencies();
  const schema = useMemo(
    () =>
      z.object({
        sellerId: z
          .string({ error: t('operator.funds.sellerRequired') })
          .min(1, t('operator.funds.sellerRequired')),
        currency: z
          .string({ error: t('operator.funds.currencyRequired') })
          .regex(/^[A-Z]{3}$/, t('operator.funds.currencyRequired')),
      }),
    [t],
  );
  type Form = z.infer<typeof schema>;
  const form = useForm<Form>({ resolver: zodResolver(schema) });
  const payout = useMutation({
    mutationFn: async (values: Form) =>
      data(
        await settlementApi.POST('/v1/payouts', {
          body: { sellerId: values.sellerId, currency: values.currency },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['operator', 'payouts'] }),
    onError: (error) => showFieldProblems(error, form.setError, ['sellerId', 'currency']),
  });
  const errors = form.formState.errors;
  const sellerName = (id: string) => sellers.data?.find((seller) => seller.participantId === id)?.name ?? '';

  return (
    <Paper withBorder p="md">
      <form
        onSubmit={form.handleSubmit((values) => payout.mutate(values))}
        noValidate
        aria-label={t('operator.funds.payoutTitle')}
      >
        <Stack>
          <SectionTitle>{t('operator.funds.payoutTitle')}</SectionTitle>
          <Text size="sm" c="dimmed">
            {t('operator.funds.payoutIntro')}
          </Text>
          <Controller
            control={form.control}
            name="sellerId"
            render={({ field }) => (
              <Select
                label={t('operator.funds.seller')}
                placeholder={sellers.isPending ? t('state.loading') : t('operator.funds.pickSeller')}
                data={(sellers.data ?? []).map((seller) => ({
                  value: seller.participantId,
                  label: seller.name,
                }))}
                searchable
                nothingFoundMessage={t('operator.funds.noSellers')}
                value={field.value ?? null}
                onChange={(value) => field.onChange(value ?? '')}
                onBlur={field.onBlur}
                error={errors.sellerId?.message}
                required
              />
            )}
          />
          <CurrencySelect control={form.control} currencies={currencies} error={errors.currency?.message} />
          <Group>
            <Button type="submit" loading={payout.isPending}>
              {t('operator.funds.runPayout')}
            </Button>
          </Group>
          {payout.isError &&
            (toApiProblem(payout.error).problem.type.endsWith('/nothing-to-pay-out') ? (
              <Notice tone="warning" title={t('operator.funds.nothingToPayOut')}>
                {t('operator.funds.nothingToPayOutText', {
                  name: sellerName(form.getValues('sellerId')),
                  currency: form.getValues('currency'),
                })}
              </Notice>
            ) : (
              <ProblemAlert error={payout.error} />
            ))}
          {payout.data && (
            <Notice title={t('operator.funds.payoutIssued')}>
              {t('operator.funds.payoutAnswer', { name: sellerName(payout.data.sellerId) })}{' '}
              <strong>
                <Money minor={payout.data.amount} currency={payout.data.currency} />
              </strong>
            </Notice>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

function PayoutHistory() {
  const { t } = useTranslation();
  const nameOf = useParticipantNames();
  const list = useCursorList<Payout>(['operator', 'payouts'], async (cursor) =>
    data(await settlementApi.GET('/v1/payouts', { params: { query: { cursor, limit: 50 } } })),
  );
  const columns = [
    column.accessor('occurredAt', {
      header: t('operator.funds.paidAt'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
    column.accessor((payout) => nameOf(payout.sellerId) ?? '—', {
      id: 'seller',
      header: t('operator.funds.seller'),
    }),
    column.accessor('amount', {
      header: t('operator.funds.amount'),
      cell: (cell) => <Money minor={cell.getValue()} currency={cell.row.original.currency} />,
    }),
  ];
  return (
    <Stack>
      <SectionTitle>{t('operator.funds.historyTitle')}</SectionTitle>
      <QueryState
        query={list.query}
        isEmpty={() => list.items.length === 0}
        empty={t('operator.funds.noPayouts')}
      >
        {() => (
          <DataTable
            caption={t('operator.funds.historyCaption')}
            columns={columns}
            rows={list.items}
            rowKey={(payout) => payout.payoutId}
            hasMore={list.hasMore}
            loadingMore={list.query.isFetchingNextPage}
            onLoadMore={list.loadMore}
          />
        )}
      </QueryState>
    </Stack>
  );
}

import { zodResolver } from '@hookform/resolvers/zod';
import {
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  List,
  NumberInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { buyersApi, data } from '../../api/client';
import { toApiProblem } from '../../api/problem';
import type { BuyersAnswer } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { Instant } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatInstant } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { personOf } from './purchased-lead';
import { PageTitle, SectionTitle } from '../../components/Headings';

type Delivery = BuyersAnswer<'DeliveriesController_deliveries'>['items'][number];
const column = createColumnHelper<Delivery>();
const STATE_COLOR: Record<string, string> = { pending: 'yellow', delivered: 'green', dead: 'red' };

/** A secret shown once, with a button that copies it. */
function OnceSecret({ secret, note }: { secret: string; note?: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder bg="var(--mantine-color-gray-0)" role="status">
      <Stack gap="xs">
        <Title order={3} size="h4">
          {t('purchases.delivery.secretTitle')}
        </Title>
        <Text size="sm">{t('purchases.delivery.secretOnce')}</Text>
        <Code block data-testid="webhook-secret" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
          {secret}
        </Code>
        <CopyButton value={secret}>
          {({ copied, copy }) => (
            <Button size="xs" variant="default" onClick={copy} w="fit-content">
              {copied ? t('purchases.delivery.copied') : t('purchases.delivery.copy')}
            </Button>
          )}
        </CopyButton>
        {note && <Text size="sm">{note}</Text>}
      </Stack>
    </Card>
  );
}

/**
 * How the buyer's leads reach it: the webhook (URL, signing secret and its rotation), the log of
 * webhook deliveries with a redelivery for dead letters, and the pull API in words.
 */
export default function DeliveryPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<{ value: string; note?: string }>();
  const [overlap, setOverlap] = useState<number | string>(1440);

  const account = useQuery({
    queryKey: ['buyer', 'account'],
    queryFn: async () => data(await buyersApi.GET('/v1/account')),
  });
  const deliveries = useQuery({
    queryKey: ['buyer', 'webhook-deliveries'],
    queryFn: async () => data(await buyersApi.GET('/v1/webhook/deliveries')),
    refetchInterval: 5000,
  });
  // A delivery names its allocation; the person's name is in the purchased lead (read once each).
  const leads = useQueries({
    queries: (deliveries.data?.items ?? []).map((delivery) => ({
      queryKey: ['buyer', 'purchased-lead', delivery.allocationId],
      queryFn: async () =>
        data(
          await buyersApi.GET('/v1/purchased-leads/{allocationId}', {
            params: { path: { allocationId: delivery.allocationId } },
          }),
        ),
      staleTime: Infinity,
    })),
  });
  const names = new Map(
    (deliveries.data?.items ?? []).map((delivery, index) => [
      delivery.allocationId,
      personOf(leads[index]?.data)?.name,
    ]),
  );

  const schema = z.object({
    url: z
      .string()
      .trim()
      .regex(/^https?:\/\/\S+$/i, t('purchases.delivery.urlInvalid')),
  });
  type Form = z.infer<typeof schema>;
  const form = useForm<Form>({ resolver: zodResolver(schema), defaultValues: { url: '' } });

  const save = useMutation({
    mutationFn: async (values: Form) =>
      data(await buyersApi.PUT('/v1/webhook', { body: { url: values.url } })),
    onSuccess: (answer) => {
      setSecret({ value: answer.secret });
      form.reset({ url: '' });
      void queryClient.invalidateQueries({ queryKey: ['buyer', 'account'] });
    },
    onError: (error) => {
      const messages = toApiProblem(error).fieldMessages('url');
      if (messages.length > 0) form.setError('url', { type: 'server', message: messages.join('; ') });
    },
  });
  const rotate = useMutation({
    mutationFn: async () =>
      data(
        await buyersApi.POST('/v1/webhook/secret/rotate', {
          body: { overlapMinutes: typeof overlap === 'number' ? overlap : Number(overlap) },
        }),
      ),
    onSuccess: (answer) =>
      setSecret({
        value: answer.secret,
        note: t('purchases.delivery.rotated', {
          until: formatInstant(answer.previousSecretValidUntil, locale),
        }),
      }),
  });
  const rotateProblem = rotate.isError ? toApiProblem(rotate.error) : undefined;
  const redeliver = useMutation({
    mutationFn: async (allocationId: string) =>
      data(
        await buyersApi.POST('/v1/webhook/deliveries/{allocationId}/redeliver', {
          params: { path: { allocationId } },
        }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['buyer', 'webhook-deliveries'] }),
  });

  const columns = [
    column.accessor('updatedAt', {
      header: t('purchases.delivery.updatedAt'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
    column.accessor('allocationId', {
      header: t('purchases.delivery.lead'),
      cell: (cell) => names.get(cell.getValue()) || '…',
    }),
    column.accessor('state', {
      header: t('purchases.delivery.state'),
      cell: (cell) => (
        <Badge color={STATE_COLOR[cell.getValue()] ?? 'gray'} variant="dot">
          {t(`purchases.delivery.states.${cell.getValue()}`, { defaultValue: cell.getValue() })}
        </Badge>
      ),
    }),
    column.accessor('attempts', { header: t('purchases.delivery.attempts') }),
    column.accessor((delivery) => delivery.lastStatus ?? 0, {
      id: 'lastStatus',
      header: t('purchases.delivery.lastStatus'),
      cell: (cell) => cell.row.original.lastStatus ?? '—',
    }),
    column.accessor((delivery) => delivery.lastError ?? '', {
      id: 'lastError',
      header: t('purchases.delivery.lastError'),
      cell: (cell) => cell.getValue() || '—',
    }),
    column.display({
      id: 'redeliver',
      header: '',
      cell: (cell) =>
        cell.row.original.state === 'dead' ? (
          <Button
            size="compact-sm"
            variant="default"
            loading={redeliver.isPending && redeliver.variables === cell.row.original.allocationId}
            onClick={() => redeliver.mutate(cell.row.original.allocationId)}
          >
            {t('purchases.delivery.redeliver')}
          </Button>
        ) : null,
    }),
  ];

  return (
    <Stack>
      <PageTitle>{t('purchases.delivery.title')}</PageTitle>

      <Card withBorder component="section" aria-labelledby="webhook-title">
        <Stack>
          <Title order={2} size="h3" id="webhook-title">
            {t('purchases.delivery.webhookTitle')}
          </Title>
          <Text size="sm">{t('purchases.delivery.webhookIntro')}</Text>
          <QueryState query={account}>
            {(answer) => (
              <Text size="sm" fw={500} data-testid="webhook-current" style={{ wordBreak: 'break-all' }}>
                {answer.webhook
                  ? t('purchases.delivery.current', { url: answer.webhook.url })
                  : t('purchases.delivery.none')}
              </Text>
            )}
          </QueryState>
          <form onSubmit={form.handleSubmit((values) => save.mutate(values))} noValidate>
            <Group align="flex-start" wrap="wrap">
              <TextInput
                label={t('purchases.delivery.url')}
                placeholder="https://crm.example.com/hooks/leads"
                type="url"
                required
                error={form.formState.errors.url?.message}
                style={{ flex: '1 1 260px' }}
                {...form.register('url')}
              />
              <Button type="submit" mt={{ base: 0, sm: 25 }} loading={save.isPending}>
                {t('purchases.delivery.save')}
              </Button>
            </Group>
          </form>
          {save.isError && toApiProblem(save.error).fieldMessages('url').length === 0 && (
            <ProblemAlert error={save.error} />
          )}
          <Group align="flex-end" wrap="wrap">
            <NumberInput
              label={t('purchases.delivery.overlap')}
              value={overlap}
              onChange={setOverlap}
              min={0}
              max={10080}
              w={260}
              error={rotateProblem?.fieldMessages('overlapMinutes').join('; ') || undefined}
            />
            <Button
              variant="default"
              loading={rotate.isPending}
              disabled={!account.data?.webhook}
              onClick={() => rotate.mutate()}
            >
              {t('purchases.delivery.rotate')}
            </Button>
          </Group>
          {rotateProblem && rotateProblem.fieldMessages('overlapMinutes').length === 0 && (
            <ProblemAlert error={rotate.error} />
          )}
          {secret && <OnceSecret secret={secret.value} note={secret.note} />}
        </Stack>
      </Card>

      <SectionTitle>{t('purchases.delivery.logTitle')}</SectionTitle>
      {redeliver.isError && <ProblemAlert error={redeliver.error} />}
      {redeliver.isSuccess && (
        <Text size="sm" role="status">
          {t('purchases.delivery.redelivered')}
        </Text>
      )}
      <QueryState
        query={deliveries}
        isEmpty={(answer) => answer.items.length === 0}
        empty={t('purchases.delivery.logEmpty')}
      >
        {(answer) => (
          <DataTable
            caption={t('purchases.delivery.logCaption')}
            columns={columns}
            rows={answer.items}
            rowKey={(delivery) => delivery.allocationId}
          />
        )}
      </QueryState>

      <Card withBorder component="section" aria-labelledby="pull-title">
        <Stack gap="xs">
          <Title order={2} size="h3" id="pull-title">
            {t('purchases.delivery.pullTitle')}
          </Title>
          <Text size="sm">{t('purchases.delivery.pullIntro')}</Text>
          <List type="ordered" size="sm" spacing="xs">
            <List.Item>{t('purchases.delivery.pullStep1')}</List.Item>
            <List.Item>{t('purchases.delivery.pullStep2')}</List.Item>
            <List.Item>{t('purchases.delivery.pullStep3')}</List.Item>
            <List.Item>{t('purchases.delivery.pullStep4')}</List.Item>
          </List>
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
            {
              'GET /api/buyers/v1/deliveries?limit=50\nAuthorization: Bearer <API key>\n\nPOST /api/buyers/v1/deliveries/ack\n{"cursor": "<nextCursor>"}'
            }
          </Code>
        </Stack>
      </Card>
    </Stack>
  );
}

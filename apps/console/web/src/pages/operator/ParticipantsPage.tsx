import {
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  TextInput,
} from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { z } from 'zod';
import { data, settlementApi } from '../../api/client';
import { useCursorList } from '../../api/use-cursor-list';
import { DataTable } from '../../components/DataTable';
import { Instant } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Notice } from './Notice';
import { ROLES, showFieldProblems, type Participant, type Role } from './shared';
import { PageTitle, SectionTitle } from '../../components/Headings';

const column = createColumnHelper<Participant>();

/** The participants: register a seller, buyer, auditor or operator; list them, by role. */
export default function ParticipantsPage() {
  const { t } = useTranslation();
  const [role, setRole] = useState<Role | 'all'>('all');
  const list = useCursorList<Participant>(['operator', 'participants', 'list', role], async (cursor) =>
    data(
      await settlementApi.GET('/v1/participants', {
        params: { query: { cursor, limit: 100, role: role === 'all' ? undefined : role } },
      }),
    ),
  );

  const columns = [
    column.accessor('name', {
      header: t('operator.participants.name'),
      cell: (cell) => (
        <Anchor component={Link} to={`/operator/participants/${cell.row.original.participantId}`}>
          {cell.getValue()}
        </Anchor>
      ),
    }),
    column.accessor('role', {
      header: t('operator.participants.role'),
      cell: (cell) => t(`roles.${cell.getValue()}`),
    }),
    column.accessor('suspended', {
      header: t('operator.participants.status'),
      cell: (cell) => <StatusBadge suspended={cell.getValue()} />,
    }),
    column.accessor((participant) => participant.apiKeys.filter((key) => !key.revoked).length, {
      id: 'keys',
      header: t('operator.participants.activeKeys'),
    }),
    column.accessor('registeredAt', {
      header: t('operator.participants.registeredAt'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
  ];

  return (
    <Stack>
      <PageTitle>{t('operator.participants.title')}</PageTitle>
      <RegisterForm />
      <SectionTitle>{t('operator.participants.listTitle')}</SectionTitle>
      <SegmentedControl
        aria-label={t('operator.participants.filterByRole')}
        value={role}
        onChange={(value) => setRole(value as Role | 'all')}
        data={[
          { value: 'all', label: t('operator.participants.allRoles') },
          ...ROLES.map((value) => ({ value, label: t(`roles.${value}`) })),
        ]}
        style={{ alignSelf: 'flex-start', maxWidth: '100%', overflowX: 'auto' }}
      />
      <QueryState
        query={list.query}
        isEmpty={() => list.items.length === 0}
        empty={t('operator.participants.empty')}
      >
        {() => (
          <DataTable
            caption={t('operator.participants.caption')}
            columns={columns}
            rows={list.items}
            rowKey={(participant) => participant.participantId}
            hasMore={list.hasMore}
            loadingMore={list.query.isFetchingNextPage}
            onLoadMore={list.loadMore}
          />
        )}
      </QueryState>
    </Stack>
  );
}

export function StatusBadge({ suspended }: { suspended: boolean }) {
  const { t } = useTranslation();
  return (
    <Badge color={suspended ? 'red.9' : 'teal.9'} variant="filled">
      {suspended ? t('operator.participants.suspended') : t('operator.participants.active')}
    </Badge>
  );
}

function RegisterForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const schema = useMemo(
    () =>
      z.object({
        role: z.enum(['seller', 'buyer', 'auditor', 'operator'], {
          error: t('operator.participants.roleRequired'),
        }),
        name: z
          .string()
          .trim()
          .min(1, t('operator.participants.nameRequired'))
          .max(200, t('operator.participants.nameTooLong')),
        country: z
          .string()
          .trim()
          .toUpperCase()
          .regex(/^([A-Z]{2})?$/, t('operator.participants.countryInvalid')),
      }),
    [t],
  );
  type Form = z.infer<typeof schema>;
  const form = useForm<z.input<typeof schema>, unknown, Form>({
    resolver: zodResolver(schema),
    defaultValues: { name: '', country: '' },
  });
  const register = useMutation({
    mutationFn: async (values: Form) =>
      data(
        await settlementApi.POST('/v1/participants', {
          body: {
            role: values.role,
            name: values.name,
            ...(values.country ? { country: values.country } : {}),
          },
        }),
      ),
    onSuccess: () => {
      form.reset({ name: '', country: '', role: form.getValues('role') });
      void queryClient.invalidateQueries({ queryKey: ['operator', 'participants'] });
    },
    onError: (error) => showFieldProblems(error, form.setError, ['role', 'name', 'country']),
  });
  const errors = form.formState.errors;

  return (
    <Paper withBorder p="md">
      <form onSubmit={form.handleSubmit((values) => register.mutate(values))} noValidate>
        <Stack>
          <SectionTitle>{t('operator.participants.registerTitle')}</SectionTitle>
          <Group align="flex-start" grow preventGrowOverflow={false} wrap="wrap">
            <Controller
              control={form.control}
              name="role"
              render={({ field }) => (
                <Select
                  label={t('operator.participants.role')}
                  placeholder={t('operator.participants.pickRole')}
                  data={ROLES.map((value) => ({ value, label: t(`roles.${value}`) }))}
                  value={field.value ?? null}
                  onChange={(value) => field.onChange(value ?? undefined)}
                  onBlur={field.onBlur}
                  error={errors.role?.message}
                  required
                  miw={180}
                />
              )}
            />
            <TextInput
              label={t('operator.participants.name')}
              description={t('operator.participants.nameHint')}
              {...form.register('name')}
              error={errors.name?.message}
              required
              miw={220}
            />
            <TextInput
              label={t('operator.participants.country')}
              description={t('operator.participants.countryHint')}
              {...form.register('country')}
              error={errors.country?.message}
              maxLength={2}
              miw={140}
            />
          </Group>
          <Group>
            <Button type="submit" loading={register.isPending}>
              {t('operator.participants.register')}
            </Button>
          </Group>
          {register.isError && <ProblemAlert error={register.error} />}
          {register.data && (
            <Notice title={t('operator.participants.registered')}>
              {t('operator.participants.registeredText', {
                name: register.data.name,
                role: t(`roles.${register.data.role}`),
              })}{' '}
              <Anchor component={Link} to={`/operator/participants/${register.data.participantId}`}>
                {t('operator.participants.openToIssueKey', { name: register.data.name })}
              </Anchor>
            </Notice>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

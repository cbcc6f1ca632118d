import { Anchor, Badge, Group, List, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';
import { data, sellersApi, settlementApi } from '../../api/client';
import type { SellersAnswer, SettlementAnswer } from '../../api/types';
import { useCursorList } from '../../api/use-cursor-list';
import { DataTable } from '../../components/DataTable';
import { Instant } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { formatNumber } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { APPS, appHealth, type AppHealth } from './health';
import { PageTitle, SectionTitle } from '../../components/Headings';

type Queue = SettlementAnswer<'SystemQueuesController_list'>['items'][number];
type Suppression = SellersAnswer<'PrivacyController_suppressions'>['items'][number];
type Lag = AppHealth['projections'][number] & { app: string };
const queueColumn = createColumnHelper<Queue>();
const suppressionColumn = createColumnHelper<Suppression>();
const lagColumn = createColumnHelper<Lag>();

const STATE_COLOR = { up: 'teal.9', down: 'red.9', unreachable: 'gray.7' } as const;

/** The exchange's health: each app, projection lag, queues, the queue dashboard, the suppression list. */
export default function SystemPage() {
  const { t } = useTranslation();
  const health = useQuery({
    queryKey: ['operator', 'system', 'health'],
    queryFn: () => Promise.all(APPS.map((app) => appHealth(app))),
    refetchInterval: 10_000,
  });
  return (
    <Stack>
      <PageTitle>{t('operator.system.title')}</PageTitle>
      <QueryState query={health}>
        {(apps) => (
          <Stack>
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              {apps.map((app) => (
                <AppCard key={app.app} health={app} />
              ))}
            </SimpleGrid>
            <ProjectionLag apps={apps} />
          </Stack>
        )}
      </QueryState>
      <Queues />
      <Suppressions />
    </Stack>
  );
}

function AppCard({ health }: { health: AppHealth }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Paper withBorder p="md" data-testid={`health-${health.app}`}>
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t(`operator.system.apps.${health.app}`)}
        </Title>
        <Group gap="xs">
          <Badge color={STATE_COLOR[health.health]} variant="filled">
            {t('operator.system.health')}: {t(`operator.system.state.${health.health}`)}
          </Badge>
          <Badge color={STATE_COLOR[health.ready]} variant="outline">
            {t('operator.system.ready')}: {t(`operator.system.state.${health.ready}`)}
          </Badge>
        </Group>
        {health.checks.length > 0 && (
          <List size="sm" spacing={2}>
            {health.checks.map((check) => (
              <List.Item key={check.name}>
                {t(`operator.system.checks.${check.name}`, { defaultValue: check.name })}:{' '}
                {t(`operator.system.state.${check.status}`)}
                {check.latencyMs !== undefined &&
                  ` (${formatNumber(check.latencyMs, locale, { maximumFractionDigits: 1 })} ms)`}
              </List.Item>
            ))}
          </List>
        )}
        {health.problem && (
          <Text size="sm" c="red.9">
            {health.problem}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function ProjectionLag({ apps }: { apps: AppHealth[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const rows: Lag[] = apps.flatMap((app) =>
    app.projections.map((lag) => ({ ...lag, app: t(`operator.system.apps.${app.app}`) })),
  );
  const columns = [
    lagColumn.accessor('app', { header: t('operator.system.app') }),
    lagColumn.accessor('name', { header: t('operator.system.projection') }),
    lagColumn.accessor('eventsBehind', {
      header: t('operator.system.eventsBehind'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    lagColumn.accessor('seconds', {
      header: t('operator.system.secondsBehind'),
      cell: (cell) => formatNumber(cell.getValue(), locale, { maximumFractionDigits: 1 }),
    }),
  ];
  return (
    <Stack gap="xs">
      <SectionTitle>{t('operator.system.lagTitle')}</SectionTitle>
      {rows.length === 0 ? (
        <Text c="dimmed">{t('operator.system.noLag')}</Text>
      ) : (
        <DataTable
          caption={t('operator.system.lagCaption')}
          columns={columns}
          rows={rows}
          rowKey={(row) => `${row.app}:${row.name}`}
        />
      )}
    </Stack>
  );
}

function Queues() {
  const { t } = useTranslation();
  const locale = useLocale();
  const queues = useQuery({
    queryKey: ['operator', 'system', 'queues'],
    queryFn: async () => data(await settlementApi.GET('/v1/system/queues')),
    refetchInterval: 10_000,
  });
  const count = (key: 'waiting' | 'active' | 'delayed' | 'failed' | 'completed') =>
    queueColumn.accessor(key, {
      header: t(`operator.system.jobs.${key}`),
      cell: (cell) =>
        key === 'failed' && cell.getValue() > 0 ? (
          <Badge color="red.9" variant="filled">
            {formatNumber(cell.getValue(), locale)}
          </Badge>
        ) : (
          formatNumber(cell.getValue(), locale)
        ),
    });
  const columns = [
    queueColumn.accessor('queue', { header: t('operator.system.queue') }),
    count('waiting'),
    count('active'),
    count('delayed'),
    count('failed'),
    count('completed'),
  ];
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <SectionTitle>{t('operator.system.queuesTitle')}</SectionTitle>
        <Anchor href="/admin/queues" target="_blank" rel="noopener">
          {t('operator.system.dashboard')}
        </Anchor>
      </Group>
      <Text size="sm" c="dimmed">
        {t('operator.system.dashboardHint')}
      </Text>
      <QueryState
        query={queues}
        isEmpty={(answer) => answer.items.length === 0}
        empty={t('operator.system.noQueues')}
      >
        {(answer) => (
          <DataTable
            caption={t('operator.system.queuesCaption')}
            columns={columns}
            rows={answer.items}
            rowKey={(queue) => queue.queue}
          />
        )}
      </QueryState>
    </Stack>
  );
}

function Suppressions() {
  const { t } = useTranslation();
  const list = useCursorList<Suppression>(['operator', 'system', 'suppressions'], async (cursor) =>
    data(await sellersApi.GET('/v1/suppressions', { params: { query: { cursor, limit: 50 } } })),
  );
  const columns = [
    suppressionColumn.accessor('addedAt', {
      header: t('operator.system.addedAt'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
    suppressionColumn.accessor('reason', {
      header: t('operator.system.reason'),
      cell: (cell) => t(`operator.system.reasons.${cell.getValue()}`),
    }),
    suppressionColumn.accessor('fingerprint', {
      header: t('operator.system.fingerprint'),
      cell: (cell) => <Text ff="monospace" size="xs">{`${cell.getValue().slice(0, 16)}…`}</Text>,
    }),
  ];
  return (
    <Stack gap="xs">
      <SectionTitle>{t('operator.system.suppressionsTitle')}</SectionTitle>
      <Text size="sm" c="dimmed">
        {t('operator.system.suppressionsHint')}
      </Text>
      <QueryState
        query={list.query}
        isEmpty={() => list.items.length === 0}
        empty={t('operator.system.noSuppressions')}
      >
        {() => (
          <DataTable
            caption={t('operator.system.suppressionsCaption')}
            columns={columns}
            rows={list.items}
            rowKey={(row) => row.fingerprint}
            hasMore={list.hasMore}
            loadingMore={list.query.isFetchingNextPage}
            onLoadMore={list.loadMore}
          />
        )}
      </QueryState>
    </Stack>
  );
}

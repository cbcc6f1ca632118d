import { Anchor, Badge, Group, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { data, settlementApi } from '../../api/client';
import type { SettlementAnswer } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { QueryState } from '../../components/PageState';
import { MarketSettingsForm } from './MarketSettingsForm';
import { useSettingsColumns } from './MarketsPage';
import { useParticipantNames } from './shared';
import { PageTitle, SectionTitle } from '../../components/Headings';

type Change = SettlementAnswer<'MarketsController_history'>['items'][number];
const column = createColumnHelper<Change>();

/** One market: its settings in force (change them) and every publication before, newest first. */
export default function MarketPage() {
  const { t } = useTranslation();
  const { vertical = '' } = useParams();
  const nameOf = useParticipantNames();
  const current = useQuery({
    queryKey: ['operator', 'markets', vertical, 'settings'],
    queryFn: async () =>
      data(await settlementApi.GET('/v1/markets/{vertical}/settings', { params: { path: { vertical } } })),
  });
  const history = useQuery({
    queryKey: ['operator', 'markets', vertical, 'history'],
    enabled: current.data?.configured === true,
    queryFn: async () =>
      data(
        await settlementApi.GET('/v1/markets/{vertical}/settings/history', {
          params: { path: { vertical } },
        }),
      ),
  });
  const columns = [
    column.accessor('revision', { header: t('operator.markets.revision') }),
    ...useSettingsColumns<Change>(),
    column.accessor('changedBy', {
      header: t('operator.markets.changedBy'),
      cell: (cell) => nameOf(cell.getValue()) ?? t('operator.markets.bootstrapOperator'),
    }),
  ];

  return (
    <Stack>
      <Anchor component={Link} to="/operator/markets" size="sm">
        ← {t('operator.markets.backToList')}
      </Anchor>
      <Group gap="sm">
        <PageTitle>{t('operator.markets.marketTitle', { vertical })}</PageTitle>
        {current.data && !current.data.configured && (
          <Badge color="gray.7" variant="filled">
            {t('operator.markets.notOpened')}
          </Badge>
        )}
      </Group>
      <QueryState query={current}>
        {(settings) => (
          <Stack>
            <MarketSettingsForm key={settings.revision ?? -1} vertical={vertical} current={settings} />
            <SectionTitle>{t('operator.markets.historyTitle')}</SectionTitle>
            {settings.configured ? (
              <QueryState query={history}>
                {(answer) => (
                  <DataTable
                    caption={t('operator.markets.historyCaption', { vertical })}
                    columns={columns}
                    rows={answer.items}
                    rowKey={(change) => String(change.revision)}
                  />
                )}
              </QueryState>
            ) : (
              t('operator.markets.noHistory')
            )}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

import { Anchor, Stack } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { data, settlementApi } from '../../api/client';
import type { SettlementAnswer } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { Instant } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { formatNumber, formatPercent } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { MarketSettingsForm } from './MarketSettingsForm';
import { PageTitle } from '../../components/Headings';

export type Market = SettlementAnswer<'MarketsController_list'>['items'][number];
const column = createColumnHelper<Market>();

/** Settings columns shared by the markets list and a market's history. */
export function useSettingsColumns<Row extends Market>() {
  const { t } = useTranslation();
  const locale = useLocale();
  const helper = createColumnHelper<Row>();
  return [
    helper.accessor((row) => row.currency, { id: 'currency', header: t('operator.markets.currency') }),
    helper.accessor((row) => row.commissionBps, {
      id: 'commission',
      header: t('operator.markets.commission'),
      cell: (cell) => formatPercent(cell.getValue() / 10_000, locale),
    }),
    helper.accessor((row) => row.returnWindowHours, {
      id: 'returnWindow',
      header: t('operator.markets.returnWindowHours'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    helper.accessor((row) => row.dedupeWindowDays, {
      id: 'dedupe',
      header: t('operator.markets.dedupeWindowDays'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    helper.accessor((row) => row.listingLifetimeHours, {
      id: 'lifetime',
      header: t('operator.markets.listingLifetimeHours'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    helper.accessor((row) => row.returnCapPercent ?? null, {
      id: 'returnCap',
      header: t('operator.markets.returnCapPercent'),
      cell: (cell) => {
        const value = cell.getValue();
        return value === null ? t('operator.markets.noCap') : formatPercent(value / 100, locale);
      },
    }),
    helper.accessor((row) => row.authenticitySamplePercent ?? 0, {
      id: 'sampling',
      header: t('operator.markets.sampling'),
      cell: (cell) =>
        cell.getValue() === 0
          ? t('operator.markets.noSampling')
          : t('operator.markets.samplingText', {
              percent: cell.getValue(),
              min: cell.row.original.authenticitySampleMin ?? 3,
              hold: cell.row.original.authenticityHoldPercent ?? 20,
            }),
    }),
    helper.accessor((row) => row.consentMaxAgeDays ?? null, {
      id: 'consent',
      header: t('operator.markets.consentMaxAgeDays'),
      cell: (cell) => {
        const value = cell.getValue();
        return value === null ? t('operator.markets.noLimit') : formatNumber(value, locale);
      },
    }),
    helper.accessor((row) => row.pingTtlSeconds ?? 10, {
      id: 'pingTtl',
      header: t('operator.markets.pingTtlSeconds'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    helper.accessor((row) => row.changedAt, {
      id: 'changedAt',
      header: t('operator.markets.changedAt'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
  ];
}

/** The markets with their settings in force, and the form that opens a new one. */
export default function MarketsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const markets = useQuery({
    queryKey: ['operator', 'markets'],
    queryFn: async () => data(await settlementApi.GET('/v1/markets')),
  });
  const columns = [
    column.accessor('vertical', {
      header: t('operator.markets.vertical'),
      cell: (cell) => (
        <Anchor component={Link} to={`/operator/markets/${cell.getValue()}`}>
          {cell.getValue()}
        </Anchor>
      ),
    }),
    ...useSettingsColumns<Market>(),
  ];

  return (
    <Stack>
      <PageTitle>{t('operator.markets.title')}</PageTitle>
      <QueryState
        query={markets}
        isEmpty={(answer) => answer.items.length === 0}
        empty={t('operator.markets.empty')}
      >
        {(answer) => (
          <DataTable
            caption={t('operator.markets.caption')}
            columns={columns}
            rows={answer.items}
            rowKey={(market) => market.vertical}
          />
        )}
      </QueryState>
      <MarketSettingsForm onSaved={(settings) => void navigate(`/operator/markets/${settings.vertical}`)} />
    </Stack>
  );
}

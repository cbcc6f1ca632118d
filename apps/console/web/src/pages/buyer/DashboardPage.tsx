import { CompositeChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { Button, Paper, SimpleGrid, Stack, Text, Title, VisuallyHidden, Group } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { buyersApi, data } from '../../api/client';
import type { BuyersAnswer } from '../../api/types';
import { Money } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { formatDay, formatMoney, formatNumber, formatPercent, minorUnitDigits } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { PageTitle } from '../../components/Headings';

type Report = BuyersAnswer<'ReportsController_account'>['items'][number];
type Day = BuyersAnswer<'ReportsController_daily'>['items'][number];

const DAYS = 30;

function Stat({ label, children, testId }: { label: string; children: React.ReactNode; testId?: string }) {
  return (
    <Paper withBorder p="md">
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz="xl" fw={700} data-testid={testId}>
        {children}
      </Text>
    </Paper>
  );
}

/** The last DAYS UTC days, oldest first, as YYYY-MM-DD. */
function lastDays(now = new Date()): string[] {
  return Array.from({ length: DAYS }, (_, i) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - (DAYS - 1 - i)))
      .toISOString()
      .slice(0, 10),
  );
}

function DailyChart({ currency, days }: { currency: string; days: Day[] }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const byDay = new Map(days.filter((day) => day.currency === currency).map((day) => [day.day, day]));
  const digits = minorUnitDigits(currency);
  const series = lastDays().map((day) => ({
    day: formatDay(day, locale),
    spend: (byDay.get(day)?.spend ?? 0) / 10 ** digits,
    conversions: byDay.get(day)?.conversions ?? 0,
    spendMinor: byDay.get(day)?.spend ?? 0,
    leads: byDay.get(day)?.leadsBought ?? 0,
  }));
  const active = series.filter((day) => day.spendMinor > 0 || day.conversions > 0);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`chart-${currency}`}>
      <Title order={3} size="h5" mb="sm" id={`chart-${currency}`}>
        {t('buyer.dashboard.chartTitle', { currency })}
      </Title>
      {active.length === 0 ? (
        <Text c="dimmed">{t('buyer.dashboard.chartEmpty')}</Text>
      ) : (
        <>
          <div aria-hidden>
            <CompositeChart
              h={260}
              data={series}
              dataKey="day"
              withLegend
              withRightYAxis
              maxBarWidth={24}
              composedChartProps={{ accessibilityLayer: false }}
              valueFormatter={(value) => formatNumber(value, locale)}
              series={[
                {
                  name: 'spend',
                  label: t('buyer.dashboard.chartSpend', { currency }),
                  color: 'blue.6',
                  type: 'bar',
                },
                {
                  name: 'conversions',
                  label: t('buyer.dashboard.chartConversions'),
                  color: 'orange.6',
                  type: 'line',
                  yAxisId: 'right',
                },
              ]}
            />
          </div>
          <VisuallyHidden>
            <table>
              <caption>{t('buyer.dashboard.chartTitle', { currency })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('buyer.dashboard.chartDay')}</th>
                  <th scope="col">{t('buyer.dashboard.spend')}</th>
                  <th scope="col">{t('buyer.dashboard.leadsBought')}</th>
                  <th scope="col">{t('buyer.dashboard.conversions')}</th>
                </tr>
              </thead>
              <tbody>
                {active.map((day) => (
                  <tr key={day.day}>
                    <th scope="row">{day.day}</th>
                    <td>{formatMoney(day.spendMinor, currency, locale)}</td>
                    <td>{day.leads}</td>
                    <td>{day.conversions}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </VisuallyHidden>
        </>
      )}
    </Paper>
  );
}

function Purchases({ report }: { report: Report }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const none = t('buyer.dashboard.none');
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }}>
      <Stat label={t('buyer.dashboard.spend')} testId={`spend-${report.currency}`}>
        <Money minor={report.spend} currency={report.currency} />
      </Stat>
      <Stat label={t('buyer.dashboard.leadsBought')} testId={`leads-${report.currency}`}>
        {formatNumber(report.leadsBought, locale)}
      </Stat>
      <Stat label={t('buyer.dashboard.conversions')}>{formatNumber(report.conversions, locale)}</Stat>
      <Stat label={t('buyer.dashboard.conversionRate')}>
        {report.conversionRateBps === null ? none : formatPercent(report.conversionRateBps / 10000, locale)}
      </Stat>
      <Stat label={t('buyer.dashboard.cpa')}>
        {report.costPerAcquisition === null ? (
          none
        ) : (
          <Money minor={report.costPerAcquisition} currency={report.currency} />
        )}
      </Stat>
    </SimpleGrid>
  );
}

/** The buyer's first page: balances, what the purchases cost and brought, and spend and conversions by day. */
export default function DashboardPage() {
  const { t } = useTranslation();
  const account = useQuery({
    queryKey: ['buyer', 'account'],
    queryFn: async () => data(await buyersApi.GET('/v1/account')),
  });
  const reports = useQuery({
    queryKey: ['buyer', 'reports', 'account'],
    queryFn: async () => data(await buyersApi.GET('/v1/reports/account')),
    refetchInterval: 10_000,
  });
  const daily = useQuery({
    queryKey: ['buyer', 'reports', 'daily'],
    queryFn: async () =>
      data(await buyersApi.GET('/v1/reports/account/daily', { params: { query: { days: DAYS } } })),
    refetchInterval: 10_000,
  });

  return (
    <Stack>
      <Group justify="space-between">
        <PageTitle>{t('buyer.dashboard.title')}</PageTitle>
        <Button component={Link} to="/buyer/orders/new" variant="light">
          {t('buyer.dashboard.newOrder')}
        </Button>
      </Group>
      <Title order={2} size="h4">
        {t('buyer.dashboard.balances')}
      </Title>
      <QueryState
        query={account}
        isEmpty={(answer) => answer.balances.length === 0}
        empty={t('buyer.dashboard.noBalance')}
      >
        {(answer) => (
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
            {answer.balances.flatMap((balance) => [
              <Stat
                key={`${balance.currency}-available`}
                label={`${t('buyer.dashboard.available')} (${balance.currency})`}
                testId={`available-${balance.currency}`}
              >
                <Money minor={balance.available} currency={balance.currency} />
              </Stat>,
              <Stat
                key={`${balance.currency}-reserved`}
                label={`${t('buyer.dashboard.reserved')} (${balance.currency})`}
                testId={`reserved-${balance.currency}`}
              >
                <Money minor={balance.reserved} currency={balance.currency} />
              </Stat>,
            ])}
          </SimpleGrid>
        )}
      </QueryState>
      <QueryState
        query={reports}
        isEmpty={(answer) => answer.items.length === 0}
        empty={t('buyer.dashboard.noPurchases')}
      >
        {(answer) => (
          <Stack>
            {answer.items.map((report) => (
              <Stack key={report.currency} gap="sm">
                <Title order={2} size="h4">
                  {t('buyer.dashboard.purchases', { currency: report.currency })}
                </Title>
                <Purchases report={report} />
                <QueryState query={daily}>
                  {(days) => <DailyChart currency={report.currency} days={days.items} />}
                </QueryState>
              </Stack>
            ))}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

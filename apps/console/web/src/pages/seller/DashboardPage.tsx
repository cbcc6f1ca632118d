import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Group, Progress, SimpleGrid, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { data, sellersApi } from '../../api/client';
import { Money } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { formatDay, formatNumber, formatPercent } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { Figure, useSellerStatement } from './shared';
import { PageTitle, SectionCard } from '../../components/Headings';
import { SourcesCard } from './SourcesCard';

const PARTS = ['completeness', 'verification', 'freshness', 'sellerHistory'] as const;

/** The seller's day and month at a glance: leads listed, sold and returned, earnings, quality, a chart by day. */
export default function DashboardPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const activity = useQuery({
    queryKey: ['seller', 'activity'],
    queryFn: async () =>
      data(await sellersApi.GET('/v1/seller-activity', { params: { query: { days: 30 } } })),
  });
  const record = useQuery({
    queryKey: ['seller', 'history'],
    queryFn: async () => data(await sellersApi.GET('/v1/seller-history')),
  });
  const statement = useSellerStatement();

  return (
    <Stack>
      <PageTitle>{t('seller.dashboard.title')}</PageTitle>
      <QueryState query={activity}>
        {(answer) => (
          <Stack>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              {(
                [
                  ['today', answer.today],
                  ['month', answer.month],
                ] as const
              ).map(([period, counts]) => (
                <SectionCard key={period} id={`period-${period}`} title={t(`seller.dashboard.${period}`)}>
                  <Group grow>
                    <Figure label={t('seller.dashboard.listed')}>
                      {formatNumber(counts.listed, locale)}
                    </Figure>
                    <Figure label={t('seller.dashboard.sold')}>{formatNumber(counts.sold, locale)}</Figure>
                    <Figure label={t('seller.dashboard.returned')}>
                      {formatNumber(counts.returned, locale)}
                    </Figure>
                  </Group>
                </SectionCard>
              ))}
            </SimpleGrid>
            <SectionCard id="sales-chart" title={t('seller.dashboard.chart')}>
              <BarChart
                h={220}
                data={answer.days.map((day) => ({
                  day: formatDay(day.day, locale),
                  sold: day.sold,
                  returned: day.returned,
                }))}
                dataKey="day"
                series={[
                  { name: 'sold', label: t('seller.dashboard.sold'), color: 'teal.6' },
                  { name: 'returned', label: t('seller.dashboard.returned'), color: 'orange.6' },
                ]}
                withLegend
                yAxisProps={{ allowDecimals: false }}
                barChartProps={{ accessibilityLayer: false }}
                aria-hidden
              />
              <Text size="sm" c="dimmed" mt="xs">
                {t('seller.dashboard.chartSummary', {
                  sold: formatNumber(
                    answer.days.reduce((sum, day) => sum + day.sold, 0),
                    locale,
                  ),
                  returned: formatNumber(
                    answer.days.reduce((sum, day) => sum + day.returned, 0),
                    locale,
                  ),
                  listed: formatNumber(
                    answer.days.reduce((sum, day) => sum + day.listed, 0),
                    locale,
                  ),
                })}
              </Text>
            </SectionCard>
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              <SectionCard id="earnings" title={t('seller.dashboard.earnings')}>
                <QueryState
                  query={statement}
                  isEmpty={(s) => s.items.length === 0}
                  empty={t('seller.dashboard.noEarnings')}
                >
                  {(s) => (
                    <Stack gap="sm">
                      {s.items.map((line) => (
                        <Group grow key={line.currency}>
                          <Figure label={t('seller.dashboard.pending')}>
                            <Money minor={line.balances.pending} currency={line.currency} />
                          </Figure>
                          <Figure label={t('seller.dashboard.available')}>
                            <Money minor={line.balances.available} currency={line.currency} />
                          </Figure>
                        </Group>
                      ))}
                    </Stack>
                  )}
                </QueryState>
              </SectionCard>
              <SectionCard id="quality" title={t('seller.dashboard.quality')}>
                <Figure label={t('seller.dashboard.qualityScore')}>
                  {formatNumber(answer.quality.score, locale, { maximumFractionDigits: 1 })}
                </Figure>
                <Text size="sm" c="dimmed" mb="xs">
                  {t('seller.dashboard.qualityOver', { count: answer.quality.leads })}
                </Text>
                <Stack gap={6}>
                  {PARTS.map((part) => (
                    <div key={part}>
                      <Group justify="space-between">
                        <Text size="sm" id={`part-${part}`}>
                          {t(`seller.dashboard.parts.${part}`)}
                        </Text>
                        <Text size="sm" fw={600}>
                          {formatNumber(answer.quality.parts[part], locale, { maximumFractionDigits: 1 })}
                        </Text>
                      </Group>
                      <Progress
                        value={answer.quality.parts[part]}
                        aria-label={t(`seller.dashboard.parts.${part}`)}
                      />
                    </div>
                  ))}
                </Stack>
              </SectionCard>
              <SectionCard id="record" title={t('seller.dashboard.record')}>
                <QueryState query={record}>
                  {(r) => (
                    <SimpleGrid cols={2}>
                      <Figure label={t('seller.dashboard.recordScore')}>
                        {formatNumber(r.score, locale)}
                      </Figure>
                      <Figure label={t('seller.dashboard.sold')}>{formatNumber(r.sold, locale)}</Figure>
                      <Figure label={t('seller.dashboard.returnRate')}>
                        {formatPercent(r.returnRatePercent / 100, locale)}
                      </Figure>
                      <Figure label={t('seller.dashboard.conversionRate')}>
                        {formatPercent(r.conversionRatePercent / 100, locale)}
                      </Figure>
                    </SimpleGrid>
                  )}
                </QueryState>
              </SectionCard>
            </SimpleGrid>
          </Stack>
        )}
      </QueryState>
      <SourcesCard />
    </Stack>
  );
}

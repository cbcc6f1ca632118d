import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Anchor, Box, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { buyersApi, data } from '../../api/client';
import { QueryState } from '../../components/PageState';
import { formatMoney, formatNumber, formatPercent } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { PageTitle } from '../../components/Headings';

/** One figure of the report: its name and value, the value findable by its name. */
function Figure({ label, value }: { label: string; value: string }) {
  const id = useId();
  return (
    <Card withBorder padding="sm" role="group" aria-labelledby={id}>
      <Text size="sm" c="dimmed" id={id}>
        {label}
      </Text>
      <Text fw={700} size="xl" style={{ whiteSpace: 'nowrap' }}>
        {value}
      </Text>
    </Card>
  );
}

/** What one order cost and brought: leads, spend, CPL, returns, conversions, conversion rate, CPA. */
export default function OrderReportPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { orderId = '' } = useParams();
  const report = useQuery({
    queryKey: ['buyer', 'order-report', orderId],
    queryFn: async () =>
      data(await buyersApi.GET('/v1/reports/orders/{orderId}', { params: { path: { orderId } } })),
    refetchInterval: 10_000,
  });
  const order = useQuery({
    queryKey: ['buyer', 'order', orderId],
    queryFn: async () => data(await buyersApi.GET('/v1/orders/{orderId}', { params: { path: { orderId } } })),
  });

  return (
    <Stack>
      <Anchor component={Link} to={`/buyer/leads?orderId=${encodeURIComponent(orderId)}`} size="sm">
        ← {t('purchases.report.back')}
      </Anchor>
      <PageTitle>{t('purchases.report.title')}</PageTitle>
      {order.data && (
        <Text c="dimmed">
          {t('purchases.report.subtitle', {
            vertical: order.data.vertical,
            status: t(`purchases.orderStatus.${order.data.status}`),
          })}
        </Text>
      )}
      <QueryState query={report}>
        {(figures) => {
          const money = (minor: number | null) =>
            minor === null ? t('purchases.report.notYet') : formatMoney(minor, figures.currency, locale);
          const count = (value: number) => formatNumber(value, locale);
          const chart = [
            { figure: t('purchases.report.leadsBought'), count: figures.leadsBought },
            { figure: t('purchases.report.returnsRequested'), count: figures.returnsRequested },
            { figure: t('purchases.report.returnsAccepted'), count: figures.returnsAccepted },
            { figure: t('purchases.report.conversions'), count: figures.conversions },
          ];
          const conversionRate =
            figures.conversionRateBps === null
              ? t('purchases.report.notYet')
              : formatPercent(figures.conversionRateBps / 10_000, locale);
          // Each figure under its name in purchases.report, in the order of the grid.
          const shown: [name: string, value: string][] = [
            ['leadsBought', count(figures.leadsBought)],
            ['spend', money(figures.spend)],
            ['costPerLead', money(figures.costPerLead)],
            ['netSpend', money(figures.netSpend)],
            ['returnsRequested', count(figures.returnsRequested)],
            ['returnsAccepted', count(figures.returnsAccepted)],
            ['refunded', money(figures.refunded)],
            ['conversions', count(figures.conversions)],
            ['conversionRate', conversionRate],
            ['costPerAcquisition', money(figures.costPerAcquisition)],
            ['conversionValue', money(figures.conversionValue)],
          ];
          return (
            <Stack>
              <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
                {shown.map(([name, value]) => (
                  <Figure key={name} label={t(`purchases.report.${name}`)} value={value} />
                ))}
              </SimpleGrid>
              <Title order={2} size="h3" id="report-chart-title">
                {t('purchases.report.chartTitle')}
              </Title>
              <Box component="figure" m={0} aria-labelledby="report-chart-title">
                <BarChart
                  h={260}
                  data={chart}
                  dataKey="figure"
                  series={[{ name: 'count', label: t('purchases.report.chartCount'), color: 'blue.6' }]}
                  valueFormatter={(value) => formatNumber(value, locale)}
                />
              </Box>
              <Group>
                <Anchor component={Link} to={`/buyer/leads?orderId=${encodeURIComponent(orderId)}`}>
                  {t('purchases.report.leads')}
                </Anchor>
              </Group>
            </Stack>
          );
        }}
      </QueryState>
    </Stack>
  );
}

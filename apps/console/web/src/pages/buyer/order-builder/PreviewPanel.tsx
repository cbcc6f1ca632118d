import { BarChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import {
  Badge,
  Group,
  Loader,
  Paper,
  ScrollArea,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { buyersApi, data } from '../../../api/client';
import type { BuyersAnswer } from '../../../api/types';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { QueryState } from '../../../components/PageState';
import { formatMoney, formatNumber } from '../../../format/format';
import { useLocale } from '../../../i18n/use-locale';
import type { PreviewBody } from './order-form';
import { Instant } from '../../../components/Money';

type Preview = BuyersAnswer<'OrdersController_preview'>;

/** Whether the order's schedule lets it match now, and until when (the exchange's answer). */
function ScheduleAnswer({ schedule }: { schedule: NonNullable<Preview['schedule']> }) {
  const { t } = useTranslation();
  const next = schedule.nextChangeAt;
  return (
    <Stack gap={2} data-testid="preview-schedule">
      <Group gap="xs">
        <Badge color={schedule.openNow ? 'teal.9' : 'gray.8'} variant="filled">
          {t(schedule.openNow ? 'buyer.preview.scheduleOpen' : 'buyer.preview.scheduleClosed')}
        </Badge>
        <Text size="sm">{schedule.description}</Text>
      </Group>
      <Text size="sm" c="dimmed">
        {next === null ? (
          t(schedule.openNow ? 'buyer.preview.scheduleAlways' : 'buyer.preview.scheduleNever')
        ) : (
          <>
            {t(schedule.openNow ? 'buyer.preview.scheduleClosesAt' : 'buyer.preview.scheduleOpensAt')}{' '}
            <Instant iso={next} />
          </>
        )}
      </Text>
    </Stack>
  );
}

const VERTICAL = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * What the order being built would meet now: the resting leads that match its filters, how many
 * its bid reaches, their floors (a histogram), and the market's depth by segment.
 */
export function PreviewPanel({ body, vertical }: { body: PreviewBody | null; vertical: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const preview = useQuery({
    queryKey: ['buyer', 'order-preview', body],
    queryFn: async () => data(await buyersApi.POST('/v1/orders/preview', { body: body! })),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
  const depth = useQuery({
    queryKey: ['buyer', 'market-depth', vertical],
    queryFn: async () => data(await buyersApi.GET('/v1/market-depth', { params: { query: { vertical } } })),
    enabled: VERTICAL.test(vertical),
    retry: false,
  });
  const answer = preview.data;
  const currency = answer?.floors?.currency;
  const money = (minor: number) => (currency ? formatMoney(minor, currency, locale) : String(minor));
  const bars = (answer?.floorHistogram ?? []).map((bar) => ({
    floor: bar.from === bar.to ? money(bar.from) : `${money(bar.from)} – ${money(bar.to)}`,
    leads: bar.leads,
  }));

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="preview-title">
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Title order={2} size="h4" id="preview-title">
            {t('buyer.preview.title')}
          </Title>
          {preview.isFetching && (
            <Group gap={6} wrap="nowrap">
              <Loader size="xs" aria-hidden />
              <Text size="xs" c="dimmed">
                {t('buyer.preview.updating')}
              </Text>
            </Group>
          )}
        </Group>
        {body === null && <Text c="dimmed">{t('buyer.preview.waiting')}</Text>}
        {body !== null && preview.isError && <ProblemAlert error={preview.error} />}
        {body !== null && answer && (
          <Stack gap="xs" aria-live="polite">
            <div>
              <Text size="sm" c="dimmed">
                {t('buyer.preview.matching')}
              </Text>
              <Text fz={32} fw={700} data-testid="preview-matching">
                {formatNumber(answer.matching, locale)}
              </Text>
            </div>
            <Text size="sm" data-testid="preview-at-bid">
              {answer.matchingAtOrBelowBid === null
                ? t('buyer.preview.noBid')
                : `${t('buyer.preview.atBid')}: ${formatNumber(answer.matchingAtOrBelowBid, locale)}`}
            </Text>
            {answer.floors && (
              <Text size="sm">
                {t('buyer.preview.floors', {
                  min: money(answer.floors.min),
                  median: money(answer.floors.median),
                  max: money(answer.floors.max),
                })}
              </Text>
            )}
            {answer.schedule && <ScheduleAnswer schedule={answer.schedule} />}
            <Text size="sm">
              {t('buyer.preview.exclusiveShared', {
                exclusive: formatNumber(answer.exclusive, locale),
                shared: formatNumber(answer.shared, locale),
              })}
            </Text>
            <Title order={3} size="h6" mt="sm">
              {t('buyer.preview.histogramTitle')}
            </Title>
            {bars.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('buyer.preview.histogramEmpty')}
              </Text>
            ) : (
              <>
                <div aria-hidden>
                  <BarChart
                    h={180}
                    data={bars}
                    dataKey="floor"
                    series={[{ name: 'leads', label: t('buyer.preview.histogramLeads'), color: 'blue.6' }]}
                    tickLine="y"
                    gridAxis="y"
                    barChartProps={{ accessibilityLayer: false }}
                  />
                </div>
                <VisuallyHidden>
                  <table>
                    <caption>{t('buyer.preview.histogramTitle')}</caption>
                    <tbody>
                      {bars.map((bar) => (
                        <tr key={bar.floor} data-testid="histogram-bar">
                          <th scope="row">{bar.floor}</th>
                          <td>{bar.leads}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </VisuallyHidden>
              </>
            )}
          </Stack>
        )}
        <Title order={3} size="h6" mt="sm">
          {t('buyer.preview.depthTitle')}
        </Title>
        {VERTICAL.test(vertical) && (
          <QueryState
            query={depth}
            isEmpty={(answer) => answer.segments.length === 0}
            empty={t('buyer.preview.depthEmpty')}
          >
            {(answer) => (
              <>
                <ScrollArea type="auto">
                  <Table striped verticalSpacing={4} fz="sm">
                    <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>
                      {t('buyer.preview.depthCaption', { vertical: answer.vertical })}
                    </Table.Caption>
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('buyer.preview.region')}</Table.Th>
                        <Table.Th>{t('buyer.preview.ageBand')}</Table.Th>
                        <Table.Th>{t('buyer.preview.contacts')}</Table.Th>
                        <Table.Th ta="right">{t('buyer.preview.leads')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {[...answer.segments]
                        .sort((a, b) => b.leads - a.leads)
                        .slice(0, 12)
                        .map((segment) => (
                          <Table.Tr key={`${segment.region}|${segment.ageBand}|${segment.contacts}`}>
                            <Table.Td>{segment.region ?? t('buyer.preview.anyRegion')}</Table.Td>
                            <Table.Td>{segment.ageBand}</Table.Td>
                            <Table.Td>{segment.contacts}</Table.Td>
                            <Table.Td ta="right">{formatNumber(segment.leads, locale)}</Table.Td>
                          </Table.Tr>
                        ))}
                    </Table.Tbody>
                  </Table>
                </ScrollArea>
                {answer.suppressedSegments > 0 && (
                  <Text size="xs" c="dimmed">
                    {t('buyer.preview.suppressed', {
                      count: answer.suppressedSegments,
                      minimum: answer.minimumSegmentCount,
                    })}
                  </Text>
                )}
              </>
            )}
          </QueryState>
        )}
      </Stack>
    </Paper>
  );
}

import { Anchor, Badge, Card, Group, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { data, sellersApi } from '../../api/client';
import type { SellersAnswer } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { Instant, Money } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatInstant, formatNumber } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { BATCH_STATUS_COLOR } from './BatchesPage';
import {
  ConfirmAction,
  DownloadCsvButton,
  Figure,
  ReasonsChart,
  useCsvDownload,
  useReasonHelp,
  useReasonLabel,
} from './shared';
import { PageTitle, SectionCard } from '../../components/Headings';

type Rejection = SellersAnswer<'BatchesController_rejections'>['rows'][number];
const column = createColumnHelper<Rejection>();

/** One batch: its terms, verification progress, reasons, rejected rows (with the CSV) and withdrawal. */
export default function BatchPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { batchId = '' } = useParams();
  const queryClient = useQueryClient();
  const reasonLabel = useReasonLabel();
  const reasonHelp = useReasonHelp();
  const rejectionsCsv = useCsvDownload('sellers');
  const batch = useQuery({
    queryKey: ['seller', 'batch', batchId],
    queryFn: async () =>
      data(await sellersApi.GET('/v1/batches/{batchId}', { params: { path: { batchId } } })),
    refetchInterval: (query) => (query.state.data?.status === 'verifying' ? 1500 : false),
  });
  const verifying = batch.data?.status === 'verifying';
  const rejections = useQuery({
    queryKey: ['seller', 'batch', batchId, 'rejections'],
    enabled: batch.isSuccess,
    queryFn: async () =>
      data(await sellersApi.GET('/v1/batches/{batchId}/rejections', { params: { path: { batchId } } })),
    refetchInterval: verifying ? 2000 : false,
  });

  const columns = [
    column.accessor('line', {
      header: t('seller.batch.line'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    column.accessor((row) => row.reasons.join(' '), {
      id: 'reasons',
      header: t('seller.batch.reasons'),
      // Rendered from the codes on each render, so that a change of language shows at once.
      cell: (cell) => cell.row.original.reasons.map(reasonLabel).join(', '),
    }),
    column.display({
      id: 'messages',
      header: t('seller.batch.messages'),
      cell: (cell) =>
        cell.row.original.reasons
          .map((code, index) => reasonHelp(code, cell.row.original.messages[index] ?? code))
          .join(' '),
    }),
  ];

  return (
    <QueryState query={batch}>
      {(b) => (
        <Stack>
          <Anchor component={Link} to="/seller/batches" size="sm">
            ← {t('seller.nav.batches')}
          </Anchor>
          <Group justify="space-between" wrap="wrap">
            <PageTitle>{t('seller.batch.title', { date: formatInstant(b.submittedAt, locale) })}</PageTitle>
            <Badge color={BATCH_STATUS_COLOR[b.status]} c="dark.7" variant="light" size="lg">
              {t(`seller.batchStatus.${b.status}`)}
            </Badge>
          </Group>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <SectionCard id="batch-terms" title={t('seller.batch.terms')}>
              <SimpleGrid cols={2}>
                <Figure label={t('seller.batches.vertical')}>{b.terms.vertical ?? '—'}</Figure>
                <Figure label={t('seller.batches.floor')}>
                  {b.terms.currency && b.terms.floor !== undefined ? (
                    <Money minor={b.terms.floor} currency={b.terms.currency} />
                  ) : (
                    '—'
                  )}
                </Figure>
                <Figure label={t('seller.batch.exclusivity')}>
                  {b.terms.exclusivity?.kind === 'shared'
                    ? t('seller.exclusivity.sharedUpTo', { count: b.terms.exclusivity.maxSales })
                    : t('seller.exclusivity.exclusive')}
                </Figure>
                <Figure label={t('seller.batch.lifetime')}>
                  {b.terms.listingLifetimeHours
                    ? t('seller.batch.hours', { count: b.terms.listingLifetimeHours })
                    : '—'}
                </Figure>
              </SimpleGrid>
              <Text size="sm" mt="sm">
                {t('seller.batches.submittedAt')}: <Instant iso={b.submittedAt} />
              </Text>
            </SectionCard>
            <SectionCard id="batch-progress" title={t('seller.batch.progress')}>
              <Text size="sm" id="batch-progress-text" mb={4}>
                {t('seller.batch.progressText', {
                  processed: formatNumber(b.progress.processed, locale),
                  total: formatNumber(b.progress.totalRows, locale),
                })}
              </Text>
              <Progress
                value={b.progress.share * 100}
                aria-label={t('seller.batch.progress')}
                color={verifying ? 'blue' : 'green'}
                mb="md"
              />
              <Group grow>
                <Figure label={t('seller.batches.accepted')}>
                  {formatNumber(b.progress.accepted, locale)}
                </Figure>
                <Figure label={t('seller.batches.rejected')}>
                  {formatNumber(b.progress.rejected, locale)}
                </Figure>
              </Group>
              <Anchor
                component={Link}
                to={`/seller/leads?batchId=${b.batchId}`}
                size="sm"
                mt="sm"
                display="block"
              >
                {t('seller.batch.leads')}
              </Anchor>
            </SectionCard>
          </SimpleGrid>
          <Card withBorder>
            <ReasonsChart reasons={b.reasons} title={t('seller.upload.reasonsChart')} />
          </Card>
          <Stack component="section" aria-labelledby="batch-rejections" gap="xs">
            <Group justify="space-between" wrap="wrap">
              <Title order={2} size="h3" id="batch-rejections">
                {t('seller.batch.rejections')}
              </Title>
              <DownloadCsvButton
                onClick={() =>
                  rejectionsCsv.start(
                    `/v1/batches/${b.batchId}/rejections.csv`,
                    `rejections-${b.batchId}.csv`,
                  )
                }
              />
            </Group>
            {rejectionsCsv.error !== null && <ProblemAlert error={rejectionsCsv.error} />}
            <QueryState
              query={rejections}
              isEmpty={(answer) => answer.rows.length === 0 && answer.complete}
              empty={t('seller.batch.noRejections')}
            >
              {(answer) => (
                <>
                  {!answer.complete && <Text c="dimmed">{t('seller.batch.rejectionsIncomplete')}</Text>}
                  <DataTable
                    caption={t('seller.batch.rejectionsCaption')}
                    columns={columns}
                    rows={answer.rows}
                    rowKey={(row) => String(row.line)}
                  />
                </>
              )}
            </QueryState>
          </Stack>
          {
            <ConfirmAction
              label={t('seller.batch.withdraw')}
              title={t('seller.batch.withdrawTitle')}
              text={t('seller.batch.withdrawText')}
              disabled={verifying || b.status === 'withdrawn'}
              action={async () => {
                const answer = data(
                  await sellersApi.POST('/v1/batches/{batchId}/withdraw', {
                    params: { path: { batchId } },
                    body: {},
                  }),
                );
                await queryClient.invalidateQueries({ queryKey: ['seller', 'batch', batchId] });
                return answer;
              }}
              answered={(answer) => t('seller.batch.withdrawn', { count: answer.leadsWithdrawn })}
            />
          }
        </Stack>
      )}
    </QueryState>
  );
}

import { Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { data, settlementApi } from '../../api/client';
import type { SettlementAnswer } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { Money } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { formatNumber, formatPercent } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { EntityLink, FieldList, JsonDownload, RawJson, Tag, Verdict } from './kit';
import { PageTitle, SectionCard } from '../../components/Headings';

type Explanation = SettlementAnswer<'AuditController_explain'>;
type OrderAsOf = Explanation['asOf']['order'];

interface Recorded {
  leadId: string;
  orderId: string;
  buyerId: string;
  sellerId?: string;
  vertical: string;
  currency?: string;
  price: number;
  commission: number;
  proceeds: number;
  rule: string;
  competingBids: { orderId: string; buyerId: string; effectiveBid: number }[];
  inputPosition: string;
  position: string;
}

interface Bid {
  rank: number;
  orderId: string;
  buyerId: string;
  effectiveBid: number;
  won: boolean;
  budgetLeft: number | null;
}

/** What a check of the explanation is about, from the words the exchange states it in. */
function checkKey(check: string): string {
  if (check.startsWith('price follows')) return 'rule';
  if (check.startsWith('price within')) return 'bounds';
  if (check.startsWith('commission')) return 'split';
  if (check.startsWith('order open')) return 'funded';
  if (check.startsWith('re-running')) return 'rerun';
  return 'other';
}

const column = createColumnHelper<Bid>();

/** What decides a sale, shown first; consent records, fingerprints and the sealed envelope behind a disclosure. */
const LEAD_FIELDS = ['sellerId', 'floor', 'exclusivity', 'quality', 'attributes', 'expiresAt', 'leadId'];

function pick(lead: Record<string, unknown>, main: boolean): Record<string, unknown> {
  return Object.fromEntries(Object.entries(lead).filter(([field]) => LEAD_FIELDS.includes(field) === main));
}

/** One allocation as of its log position: the lead, the order, the competing bids, the price by hand, the engine re-run. */
export default function ExplanationPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { allocationId = '' } = useParams();
  const query = useQuery({
    queryKey: ['auditor', 'explanation', allocationId],
    queryFn: async () =>
      data(
        await settlementApi.GET('/v1/audit/allocations/{allocationId}/explanation', {
          params: { path: { allocationId } },
        }),
      ),
  });

  return (
    <Stack>
      <PageTitle>{t('auditor.explanation.title')}</PageTitle>
      <QueryState query={query}>
        {(explanation) => {
          const recorded = explanation.recorded as unknown as Recorded;
          const currency =
            recorded.currency ?? (explanation.asOf.lead?.currency as string | undefined) ?? 'EUR';
          const name = (id: string) => explanation.participants[id] ?? id;
          const money = (minor: number | null | undefined) =>
            minor === null || minor === undefined ? '—' : <Money minor={minor} currency={currency} />;
          const orders = new Map<string, OrderAsOf>(
            [explanation.asOf.order, ...explanation.asOf.competingOrders].map((order) => [
              order.orderId,
              order,
            ]),
          );
          const bids: Bid[] = recorded.competingBids.map((bid, index) => ({
            rank: index + 1,
            ...bid,
            won: bid.orderId === recorded.orderId,
            budgetLeft: orders.get(bid.orderId)?.budgetLeft ?? null,
          }));
          const floor = (explanation.asOf.lead?.floor as number | undefined) ?? null;
          const rerun = explanation.checks.find((check) => checkKey(check.check) === 'rerun');
          const columns = [
            column.accessor('rank', { header: t('auditor.explanation.rank') }),
            column.accessor('buyerId', {
              header: t('auditor.explanation.buyer'),
              cell: (cell) => (
                <EntityLink kind="participant" id={cell.getValue()}>
                  {name(cell.getValue())}
                </EntityLink>
              ),
            }),
            column.accessor('effectiveBid', {
              header: t('auditor.explanation.effectiveBid'),
              cell: (cell) => money(cell.getValue()),
            }),
            column.accessor('budgetLeft', {
              header: t('auditor.explanation.budgetLeft'),
              cell: (cell) => money(cell.getValue()),
            }),
            column.accessor('won', {
              header: t('auditor.explanation.outcome'),
              cell: (cell) =>
                cell.getValue() ? (
                  <Tag tone="ok">{t('auditor.explanation.won')}</Tag>
                ) : (
                  t('auditor.explanation.lost')
                ),
            }),
            column.accessor('orderId', {
              header: t('auditor.explanation.order'),
              cell: (cell) => <EntityLink kind="order" id={cell.getValue()} />,
            }),
          ];
          return (
            <Stack>
              <Group gap="sm" wrap="wrap">
                <Verdict
                  ok={explanation.confirmed}
                  yes={t('auditor.explanation.confirmed')}
                  no={t('auditor.explanation.refuted')}
                />
                <Text>
                  {t('auditor.explanation.summary', {
                    buyer: name(recorded.buyerId),
                    seller: recorded.sellerId ? name(recorded.sellerId) : '—',
                    position: explanation.asOf.position,
                  })}
                </Text>
                <JsonDownload
                  value={explanation}
                  filename={`explanation-${allocationId}.json`}
                  label={t('auditor.downloadJson')}
                />
              </Group>
              {!explanation.confirmed && rerun && !rerun.holds && (
                <Text c="red.8" fw={600}>
                  {t('auditor.explanation.firstDifference', { detail: rerun.detail })}
                </Text>
              )}

              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <SectionCard id="lead-heading" title={t('auditor.explanation.lead')} headingGap="xs">
                  {explanation.asOf.lead ? (
                    <Stack gap="xs">
                      <FieldList
                        data={pick(explanation.asOf.lead, true)}
                        currency={currency}
                        names={explanation.participants}
                      />
                      <details>
                        <summary style={{ cursor: 'pointer' }}>{t('auditor.explanation.leadMore')}</summary>
                        <FieldList
                          data={pick(explanation.asOf.lead, false)}
                          currency={currency}
                          names={explanation.participants}
                        />
                      </details>
                    </Stack>
                  ) : (
                    <Text>{t('auditor.explanation.leadNotListed')}</Text>
                  )}
                  <Text size="sm" mt="xs">
                    <EntityLink kind="lead" id={recorded.leadId}>
                      {t('auditor.explanation.leadTimeline')}
                    </EntityLink>
                  </Text>
                </SectionCard>
                <SectionCard
                  id="order-heading"
                  title={t('auditor.explanation.orderAsOf', { position: explanation.asOf.position })}
                  headingGap="xs"
                >
                  <dl className="lx-fields">
                    <div className="lx-field">
                      <dt>{t('auditor.explanation.buyer')}</dt>
                      <dd>
                        <EntityLink kind="participant" id={recorded.buyerId}>
                          {name(recorded.buyerId)}
                        </EntityLink>
                      </dd>
                    </div>
                    <div className="lx-field">
                      <dt>{t('auditor.explanation.status')}</dt>
                      <dd>{t(`auditor.orderStatus.${explanation.asOf.order.status}`)}</dd>
                    </div>
                    <div className="lx-field">
                      <dt>{t('auditor.explanation.spentBefore')}</dt>
                      <dd>{money(explanation.asOf.order.spentBefore)}</dd>
                    </div>
                    <div className="lx-field">
                      <dt>{t('auditor.explanation.budgetLeft')}</dt>
                      <dd>{money(explanation.asOf.order.budgetLeft)}</dd>
                    </div>
                  </dl>
                  <details>
                    <summary style={{ cursor: 'pointer' }}>{t('auditor.explanation.terms')}</summary>
                    <FieldList data={explanation.asOf.order.terms} currency={currency} />
                  </details>
                </SectionCard>
              </SimpleGrid>

              <section aria-labelledby="bids-heading">
                <Title order={2} size="h4" id="bids-heading" mb="xs">
                  {t('auditor.explanation.bids')}
                </Title>
                <DataTable
                  caption={t('auditor.explanation.bidsCaption')}
                  columns={columns}
                  rows={bids}
                  rowKey={(bid) => bid.orderId}
                />
              </section>

              <SectionCard id="price-heading" title={t('auditor.explanation.price')} headingGap="xs">
                <List type="ordered" spacing="xs">
                  <List.Item>
                    {t('auditor.explanation.stepRule', { rule: recorded.rule })}{' '}
                    <Text span c="dimmed">
                      {t(`auditor.rule.${recorded.rule}`, { defaultValue: '' })}
                    </Text>
                  </List.Item>
                  <List.Item>
                    {t('auditor.explanation.stepFloor')} {money(floor)}
                  </List.Item>
                  <List.Item>
                    {t('auditor.explanation.stepBids')}{' '}
                    {bids.map((bid, index) => (
                      <span key={bid.orderId}>
                        {index > 0 && ' ≥ '}
                        {money(bid.effectiveBid)}
                      </span>
                    ))}
                  </List.Item>
                  <List.Item>
                    {t('auditor.explanation.stepPrice')} <strong>{money(recorded.price)}</strong>
                  </List.Item>
                  <List.Item>
                    {t('auditor.explanation.stepCommission', {
                      rate: formatPercent(explanation.asOf.commissionBps / 10_000, locale),
                      bps: formatNumber(explanation.asOf.commissionBps, locale),
                    })}{' '}
                    {money(recorded.commission)}; {t('auditor.explanation.stepProceeds')}{' '}
                    {money(recorded.proceeds)}
                  </List.Item>
                </List>
                <Title order={3} size="h5" mt="md" mb="xs">
                  {t('auditor.explanation.checks')}
                </Title>
                <Stack gap={6}>
                  {explanation.checks.map((check) => (
                    <Group key={check.check} gap="xs" wrap="nowrap" align="flex-start">
                      <Tag tone={check.holds ? 'ok' : 'bad'}>
                        {check.holds ? t('auditor.explanation.holds') : t('auditor.explanation.fails')}
                      </Tag>
                      <Text size="sm">{t(`auditor.check.${checkKey(check.check)}`)}</Text>
                    </Group>
                  ))}
                </Stack>
                <RawJson value={explanation.checks} label={t('auditor.explanation.checksRaw')} />
              </SectionCard>
              <RawJson value={explanation} />
            </Stack>
          );
        }}
      </QueryState>
    </Stack>
  );
}

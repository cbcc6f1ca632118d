import { Alert, Anchor, Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { buyersApi, data } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import { Instant, Money } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { formatMoney, formatNumber } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import type { Order } from './order-builder/AmendOrderModal';
import { OrderActions, useOrderName, type OrderAnswerNote } from './order-builder/OrderActions';
import { ORDER_STATUS_COLOR } from './OrdersPage';
import { WEEKDAYS, type ScheduleBody, type SourceFilterBody } from './order-builder/schedule-and-sources';
import { PageTitle } from '../../components/Headings';

type Filters = Order['terms']['filters'];

/** One figure with its label. */
function Figure({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600}>{children}</Text>
    </div>
  );
}

/** One order: its state, money, progress and every term, with the changes a live order takes. */
export default function OrderPage() {
  const { orderId = '' } = useParams();
  const { t } = useTranslation();
  const locale = useLocale();
  const orderName = useOrderName();
  const [note, setNote] = useState<OrderAnswerNote | null>(null);
  const order = useQuery({
    queryKey: ['buyer', 'orders', orderId],
    queryFn: async () => data(await buyersApi.GET('/v1/orders/{orderId}', { params: { path: { orderId } } })),
    refetchInterval: 3000,
    retry: (count, error) => !(error instanceof ApiProblem && error.problem.status < 500) && count < 2,
  });

  const filterText = (key: keyof Filters, value: Filters[keyof Filters]): string => {
    if (key === 'sourcesIncluded' || key === 'sourcesExcluded')
      return (value as SourceFilterBody[]).map(sourceText).join('; ');
    if (Array.isArray(value)) {
      const labelled = value.map((item) => {
        if (key === 'genders') return t(`buyer.gender.${item}`);
        if (key === 'requiredContacts') return t(`buyer.contact.${item}`);
        if (key === 'employment') return t(`buyer.employment.${item}`);
        if (key === 'maritalStatus') return t(`buyer.marital.${item}`);
        return String(item);
      });
      return labelled.join(', ');
    }
    if (typeof value === 'boolean') return value ? t('buyer.filter.yes') : '—';
    return String(value);
  };
  const sourceText = (entry: SourceFilterBody) => {
    const tag = entry.subSource ? `${entry.source} / ${entry.subSource}` : entry.source;
    return entry.sellerId ? t('buyer.order.sourceOfSeller', { source: tag, seller: entry.sellerId }) : tag;
  };
  const windowText = (window: ScheduleBody['windows'][number]) =>
    t('buyer.order.window', {
      days: WEEKDAYS.filter((day) => window.days.includes(day))
        .map((day) => t(`buyer.weekday.${day}`))
        .join(', '),
      from: window.from,
      to: window.to,
    });

  return (
    <Stack>
      <Anchor component={Link} to="/buyer/orders" size="sm">
        ← {t('buyer.order.back')}
      </Anchor>
      <QueryState query={order}>
        {(answer) => {
          const money = (minor: number) => formatMoney(minor, answer.currency, locale);
          const filters = Object.entries(answer.terms.filters) as [keyof Filters, Filters[keyof Filters]][];
          return (
            <Stack>
              <Group justify="space-between" align="flex-start">
                <Stack gap={4}>
                  <PageTitle>{orderName(answer)}</PageTitle>
                  <Group gap="xs">
                    <Badge
                      color={ORDER_STATUS_COLOR[answer.status]}
                      variant="dot"
                      style={{ minWidth: 'max-content' }}
                    >
                      {t(`buyer.status.${answer.status}`)}
                    </Badge>
                    <Anchor component={Link} to={`/buyer/orders/${answer.orderId}/report`} size="sm">
                      {t('buyer.order.report')}
                    </Anchor>
                  </Group>
                </Stack>
                <OrderActions order={answer} onAnswer={setNote} />
              </Group>
              {note && (
                <Alert
                  color={note.color}
                  role={note.color === 'red' ? 'alert' : 'status'}
                  data-testid="order-answer"
                >
                  {note.text}
                </Alert>
              )}
              {answer.replacementFor && <Alert color="blue">{t('buyer.order.replacementFor')}</Alert>}
              <Paper withBorder p="md">
                <Title order={2} size="h4" mb="sm">
                  {t('buyer.order.state')}
                </Title>
                <SimpleGrid cols={{ base: 2, sm: 4 }}>
                  <Figure label={t('buyer.orders.bought')}>
                    {t('buyer.orders.boughtOf', {
                      bought: formatNumber(answer.progress.leadsBought, locale),
                      quantity: formatNumber(answer.terms.quantity, locale),
                    })}
                  </Figure>
                  <Figure label={t('buyer.orders.spent')}>
                    {t('buyer.orders.spentOf', {
                      spent: money(answer.progress.spend),
                      budget: money(answer.terms.budget),
                    })}
                  </Figure>
                  <Figure label={t('buyer.orders.reserved')}>
                    <Money minor={answer.reserved} currency={answer.currency} />
                  </Figure>
                  <Figure label={t('buyer.order.released')}>
                    <Money minor={answer.released} currency={answer.currency} />
                  </Figure>
                </SimpleGrid>
              </Paper>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <Paper withBorder p="md">
                  <Title order={2} size="h4" mb="sm">
                    {t('buyer.order.terms')}
                  </Title>
                  <Table>
                    <Table.Tbody>
                      <Table.Tr>
                        <Table.Th scope="row">{t('buyer.orders.market')}</Table.Th>
                        <Table.Td>{answer.vertical}</Table.Td>
                      </Table.Tr>
                      <Table.Tr>
                        <Table.Th scope="row">{t('buyer.orders.bid')}</Table.Th>
                        <Table.Td>{money(answer.terms.bid)}</Table.Td>
                      </Table.Tr>
                      {answer.terms.maxBid !== undefined && (
                        <Table.Tr>
                          <Table.Th scope="row">
                            {t('buyer.builder.maxBid', { currency: answer.currency })}
                          </Table.Th>
                          <Table.Td>{money(answer.terms.maxBid)}</Table.Td>
                        </Table.Tr>
                      )}
                      {answer.terms.modifiers.map((modifier, index) => (
                        <Table.Tr key={index}>
                          <Table.Th scope="row">{t('buyer.builder.modifiers')}</Table.Th>
                          <Table.Td>
                            {t('buyer.order.modifier', {
                              add: money(modifier.add),
                              attribute: t(`buyer.attribute.${modifier.attribute}`),
                              values: (modifier.in ?? [modifier.equals]).join(', '),
                            })}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                      <Table.Tr>
                        <Table.Th scope="row">{t('buyer.builder.quantity')}</Table.Th>
                        <Table.Td>{formatNumber(answer.terms.quantity, locale)}</Table.Td>
                      </Table.Tr>
                      <Table.Tr>
                        <Table.Th scope="row">
                          {t('buyer.builder.budget', { currency: answer.currency })}
                        </Table.Th>
                        <Table.Td>{money(answer.terms.budget)}</Table.Td>
                      </Table.Tr>
                      {answer.terms.dailyCapCount !== undefined && (
                        <Table.Tr>
                          <Table.Th scope="row">{t('buyer.builder.dailyCapCount')}</Table.Th>
                          <Table.Td>{formatNumber(answer.terms.dailyCapCount, locale)}</Table.Td>
                        </Table.Tr>
                      )}
                      {answer.terms.dailyCapSpend !== undefined && (
                        <Table.Tr>
                          <Table.Th scope="row">
                            {t('buyer.builder.dailyCapSpend', { currency: answer.currency })}
                          </Table.Th>
                          <Table.Td>{money(answer.terms.dailyCapSpend)}</Table.Td>
                        </Table.Tr>
                      )}
                      {answer.terms.hourlyCapCount !== undefined && (
                        <Table.Tr>
                          <Table.Th scope="row">{t('buyer.builder.hourlyCapCount')}</Table.Th>
                          <Table.Td>{formatNumber(answer.terms.hourlyCapCount, locale)}</Table.Td>
                        </Table.Tr>
                      )}
                      {answer.terms.hourlyCapSpend !== undefined && (
                        <Table.Tr>
                          <Table.Th scope="row">
                            {t('buyer.builder.hourlyCapSpend', { currency: answer.currency })}
                          </Table.Th>
                          <Table.Td>{money(answer.terms.hourlyCapSpend)}</Table.Td>
                        </Table.Tr>
                      )}
                      <Table.Tr>
                        <Table.Th scope="row">{t('buyer.builder.schedule')}</Table.Th>
                        <Table.Td data-testid="order-schedule">
                          {answer.terms.schedule ? (
                            <>
                              {answer.terms.schedule.windows.map((window, index) => (
                                <div key={index}>{windowText(window)}</div>
                              ))}
                              <div>{t('buyer.order.timeZone', { zone: answer.terms.schedule.timeZone })}</div>
                            </>
                          ) : (
                            t('buyer.order.anyTime')
                          )}
                        </Table.Td>
                      </Table.Tr>
                      <Table.Tr>
                        <Table.Th scope="row">{t('buyer.builder.exclusivity')}</Table.Th>
                        <Table.Td>{t(`buyer.exclusivity.${answer.terms.exclusivity}`)}</Table.Td>
                      </Table.Tr>
                      <Table.Tr>
                        <Table.Th scope="row">{t('buyer.order.expiresAt')}</Table.Th>
                        <Table.Td>
                          {answer.terms.expiresAt ? (
                            <Instant iso={answer.terms.expiresAt} />
                          ) : (
                            t('buyer.order.never')
                          )}
                        </Table.Td>
                      </Table.Tr>
                      <Table.Tr>
                        <Table.Th scope="row">{t('buyer.builder.delivery')}</Table.Th>
                        <Table.Td>{t(`buyer.delivery.${answer.terms.delivery}`)}</Table.Td>
                      </Table.Tr>
                    </Table.Tbody>
                  </Table>
                </Paper>
                <Paper withBorder p="md">
                  <Title order={2} size="h4" mb="sm">
                    {t('buyer.order.filters')}
                  </Title>
                  {filters.length === 0 ? (
                    <Text c="dimmed">{t('buyer.order.noFilters')}</Text>
                  ) : (
                    <Table>
                      <Table.Tbody>
                        {filters.map(([key, value]) => (
                          <Table.Tr key={key}>
                            <Table.Th scope="row">{t(`buyer.filter.${key}`)}</Table.Th>
                            <Table.Td>{filterText(key, value)}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  )}
                </Paper>
              </SimpleGrid>
            </Stack>
          );
        }}
      </QueryState>
    </Stack>
  );
}

import { Anchor, Badge, Group, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { data, sellersApi } from '../../api/client';
import { Instant, Money } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { formatNumber } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { ConfirmAction, LeadStatus, leadName } from './shared';
import { SectionCard } from '../../components/Headings';

const PARTS = ['completeness', 'verification', 'freshness', 'sellerHistory'] as const;

function Rows({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <Table>
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th scope="row" w="45%">
              {label}
            </Table.Th>
            <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** One lead: attributes, verification, quality by part, personal data (or that it was erased), withdrawal. */
export default function LeadPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { leadId = '' } = useParams();
  const queryClient = useQueryClient();
  const lead = useQuery({
    queryKey: ['seller', 'lead', leadId],
    queryFn: async () => data(await sellersApi.GET('/v1/leads/{leadId}', { params: { path: { leadId } } })),
  });
  const contact = (state: { present: boolean; verified: boolean }) =>
    !state.present ? (
      <Badge color="gray" c="dark.7" variant="light">
        {t('seller.lead.absent')}
      </Badge>
    ) : (
      <Badge color={state.verified ? 'green' : 'yellow'} c="dark.7" variant="light">
        {state.verified ? t('seller.lead.verified') : t('seller.lead.unverified')}
      </Badge>
    );

  return (
    <QueryState query={lead}>
      {(l) => {
        const person = l.personalData;
        return (
          <Stack>
            <Anchor component={Link} to="/seller/leads" size="sm">
              ← {t('seller.nav.leads')}
            </Anchor>
            <Group justify="space-between" wrap="wrap">
              <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
                {t('seller.lead.title', { name: leadName(l, t('seller.leadStatus.erased')) })}
              </Title>
              <LeadStatus lead={l} />
            </Group>
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <SectionCard id="lead-person" title={t('seller.lead.personalData')}>
                {person ? (
                  <Rows
                    rows={[
                      [
                        t('seller.lead.name'),
                        [person.firstName, person.lastName].filter(Boolean).join(' ') || '—',
                      ],
                      [t('seller.lead.phone'), person.phone ?? '—'],
                      [t('seller.lead.email'), person.email ?? '—'],
                      [t('seller.lead.dateOfBirth'), person.dateOfBirth ?? '—'],
                      [t('seller.lead.address'), person.address ?? '—'],
                      [t('seller.lead.postalCode'), person.postalCode ?? '—'],
                      [t('seller.lead.externalId'), person.externalId],
                    ]}
                  />
                ) : (
                  <Text>{t('seller.lead.erased')}</Text>
                )}
              </SectionCard>
              <SectionCard id="lead-attributes" title={t('seller.lead.attributes')}>
                <Rows
                  rows={[
                    [t('seller.lead.market'), l.attributes.vertical],
                    [t('seller.lead.age'), formatNumber(l.attributes.age, locale)],
                    [t('seller.lead.country'), l.attributes.country],
                    [t('seller.lead.region'), l.attributes.region ?? '—'],
                    [t('seller.lead.stage'), l.attributes.stage],
                    [t('seller.lead.source'), l.attributes.sourceChannel],
                    [
                      t('seller.lead.sellerSource'),
                      l.attributes.source ?? t('seller.dashboard.sources.untagged'),
                    ],
                    [t('seller.lead.subSource'), l.attributes.subSource ?? '—'],
                    [t('seller.lead.interests'), l.attributes.interests.join(', ') || '—'],
                    [t('seller.lead.capturedAt'), <Instant key="c" iso={l.attributes.capturedAt} />],
                  ]}
                />
              </SectionCard>
              <SectionCard id="lead-listing" title={t('seller.lead.listing')}>
                <Rows
                  rows={[
                    [t('seller.leads.floor'), <Money key="f" minor={l.floor} currency={l.currency} />],
                    [
                      t('seller.batch.exclusivity'),
                      l.exclusivity.kind === 'shared'
                        ? t('seller.exclusivity.sharedUpTo', { count: l.exclusivity.maxSales })
                        : t('seller.exclusivity.exclusive'),
                    ],
                    [t('seller.leads.listedAt'), <Instant key="l" iso={l.listedAt} />],
                    [t('seller.lead.expiresAt'), <Instant key="e" iso={l.expiresAt} />],
                    [t('seller.lead.sales'), formatNumber(l.sales, locale)],
                    [t('seller.lead.returned'), formatNumber(l.returned, locale)],
                    [t('seller.leads.proceeds'), <Money key="p" minor={l.proceeds} currency={l.currency} />],
                    [
                      t('seller.nav.batch'),
                      <Anchor key="b" component={Link} to={`/seller/batches/${l.batchId}`}>
                        {t('actions.details')}
                      </Anchor>,
                    ],
                  ]}
                />
              </SectionCard>
              <SectionCard id="lead-quality" title={t('seller.lead.quality')}>
                <Rows
                  rows={[
                    [t('seller.lead.phone'), contact(l.attributes.contacts.phone)],
                    [t('seller.lead.email'), contact(l.attributes.contacts.email)],
                    [t('seller.lead.score'), formatNumber(l.quality.score, locale)],
                  ]}
                />
                <Stack gap={6} mt="sm">
                  {PARTS.map((part) => (
                    <div key={part}>
                      <Group justify="space-between">
                        <Text size="sm" id={`lead-part-${part}`}>
                          {t(`seller.dashboard.parts.${part}`)}
                        </Text>
                        <Text size="sm" fw={600}>
                          {formatNumber(l.quality.parts[part], locale)}
                        </Text>
                      </Group>
                      <Progress
                        value={l.quality.parts[part]}
                        aria-label={t(`seller.dashboard.parts.${part}`)}
                      />
                    </div>
                  ))}
                </Stack>
              </SectionCard>
            </SimpleGrid>
            <ConfirmAction
              label={t('seller.lead.withdraw')}
              title={t('seller.lead.withdrawTitle')}
              text={t('seller.lead.withdrawText')}
              disabled={l.status !== 'listed'}
              action={async () => {
                const answer = data(
                  await sellersApi.POST('/v1/leads/{leadId}/withdraw', {
                    params: { path: { leadId } },
                    body: {},
                  }),
                );
                await queryClient.invalidateQueries({ queryKey: ['seller', 'lead', leadId] });
                return answer;
              }}
              answered={() => t('seller.lead.withdrawn')}
            />
          </Stack>
        );
      }}
    </QueryState>
  );
}

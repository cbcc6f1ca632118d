import { Alert, Button, Card, Group, Radio, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { z } from 'zod';
import { data, settlementApi } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import type { SettlementAnswer } from '../../api/types';
import { useCursorList } from '../../api/use-cursor-list';
import { DataTable } from '../../components/DataTable';
import { Instant, Money } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useDisputeReport, type DisputeReport } from './dispute-report';
import { EntityLink, FieldList, Tag, TONE, Verdict } from './kit';
import { PageTitle, SectionCard } from '../../components/Headings';

type Escalation = SettlementAnswer<'DisputesController_escalated'>['items'][number];
type Decision = SettlementAnswer<'DisputesController_decide'>;

const column = createColumnHelper<Escalation>();

/** The disputes waiting for an auditor; each opened beside its evidence, decided with a rationale. */
export default function DisputesPage() {
  const { t } = useTranslation();
  const [open, setOpen] = useState<string | null>(null);
  const list = useCursorList<Escalation>(
    ['auditor', 'disputes'],
    async (cursor) =>
      data(
        await settlementApi.GET('/v1/disputes', {
          params: { query: { state: 'escalated', cursor, limit: 50 } },
        }),
      ),
    { refetchInterval: 5000 },
  );
  const columns = [
    column.accessor('escalatedAt', {
      header: t('auditor.disputes.escalatedAt'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
    column.accessor('decideBy', {
      header: t('auditor.disputes.decideBy'),
      cell: (cell) => (
        <Group gap={6} wrap="nowrap">
          <Instant iso={cell.getValue()} />
          {cell.row.original.overdue && <Tag tone="bad">{t('auditor.disputes.overdue')}</Tag>}
        </Group>
      ),
    }),
    column.accessor((row) => row.seller.name ?? row.seller.participantId, {
      id: 'seller',
      header: t('auditor.disputes.seller'),
    }),
    column.accessor((row) => row.buyer.name ?? row.buyer.participantId, {
      id: 'buyer',
      header: t('auditor.disputes.buyer'),
    }),
    column.accessor('reason', {
      header: t('auditor.disputes.reason'),
      cell: (cell) => t(`auditor.reason.${cell.getValue() ?? 'other'}`),
    }),
    column.accessor('price', {
      header: t('auditor.disputes.price'),
      cell: (cell) => <Money minor={cell.getValue()} currency={cell.row.original.currency} />,
    }),
    column.display({
      id: 'open',
      header: t('auditor.disputes.action'),
      cell: (cell) => (
        <Button
          size="xs"
          variant={open === cell.row.original.allocationId ? 'filled' : 'default'}
          onClick={() => setOpen(cell.row.original.allocationId)}
          aria-label={t('auditor.disputes.openLabel', {
            seller: cell.row.original.seller.name,
            buyer: cell.row.original.buyer.name,
            at: cell.row.original.escalatedAt,
          })}
          data-allocation={cell.row.original.allocationId}
        >
          {t('auditor.disputes.open')}
        </Button>
      ),
    }),
  ];

  return (
    <Stack>
      <PageTitle>{t('auditor.disputes.title')}</PageTitle>
      <Text>{t('auditor.disputes.intro')}</Text>
      <QueryState
        query={list.query}
        isEmpty={() => list.items.length === 0 && !open}
        empty={t('auditor.disputes.empty')}
      >
        {() => (
          <DataTable
            caption={t('auditor.disputes.caption')}
            columns={columns}
            rows={list.items}
            rowKey={(row) => row.allocationId}
            hasMore={list.hasMore}
            loadingMore={list.query.isFetchingNextPage}
            onLoadMore={list.loadMore}
          />
        )}
      </QueryState>
      {open && (
        <DisputeDetail
          key={open}
          allocationId={open}
          escalation={list.items.find((item) => item.allocationId === open) ?? null}
        />
      )}
    </Stack>
  );
}

function DisputeDetail({
  allocationId,
  escalation,
}: {
  allocationId: string;
  /** The queue's row: its deadline (a decided dispute leaves the queue). */
  escalation: Escalation | null;
}) {
  const { t } = useTranslation();
  const report = useDisputeReport(allocationId);
  const [decided, setDecided] = useState<Decision | null>(null);
  return (
    <Card withBorder component="section" aria-labelledby="dispute-heading" padding="md">
      <Title order={2} size="h3" id="dispute-heading" mb="sm">
        {t('auditor.disputes.detail')}
      </Title>
      <QueryState query={report}>
        {(r) => {
          const name = (id: unknown) =>
            typeof id === 'string'
              ? (r.participants[id]?.name ?? t(`auditor.actor.${id}`, { defaultValue: id }))
              : '—';
          const currency = r.market.currency;
          const names = Object.fromEntries(
            Object.entries(r.participants).map(([participantId, participant]) => [
              participantId,
              participant.name,
            ]),
          );
          return (
            <Stack>
              <Group gap="sm" wrap="wrap">
                <EntityLink kind="allocation" id={allocationId}>
                  {t('auditor.disputes.timeline')}
                </EntityLink>
                <Button
                  component={Link}
                  to={`/auditor/allocations/${allocationId}`}
                  variant="subtle"
                  size="xs"
                >
                  {t('auditor.timeline.explain')}
                </Button>
                <Button
                  component={Link}
                  to={`/auditor/disputes/${allocationId}/report`}
                  variant="subtle"
                  size="xs"
                >
                  {t('auditor.timeline.report')}
                </Button>
              </Group>
              <SimpleGrid cols={{ base: 1, md: 2 }}>
                <SectionCard
                  id="claim-heading"
                  title={t('auditor.disputes.claim', { name: name(r.allocation.buyerId) })}
                  headingOrder={3}
                  headingGap="xs"
                >
                  {r.returnRequest ? (
                    <FieldList data={withoutIds(r.returnRequest)} currency={currency} names={names} />
                  ) : (
                    <Text>{t('auditor.data.none')}</Text>
                  )}
                </SectionCard>
                <SectionCard
                  id="response-heading"
                  title={t('auditor.disputes.response', { name: name(r.allocation.sellerId) })}
                  headingOrder={3}
                  headingGap="xs"
                >
                  {r.sellerResponse ? (
                    <FieldList data={withoutIds(r.sellerResponse)} currency={currency} names={names} />
                  ) : (
                    <Text>{t('auditor.disputes.noResponse')}</Text>
                  )}
                </SectionCard>
              </SimpleGrid>
              <dl className="lx-fields">
                <div className="lx-field">
                  <dt>{t('auditor.disputes.window')}</dt>
                  <dd>
                    <Instant iso={r.returnWindow.opensAt} /> – <Instant iso={r.returnWindow.closesAt} /> (
                    {r.returnWindow.filedInTime === false
                      ? t('auditor.disputes.filedLate')
                      : t('auditor.disputes.filedInTime')}
                    )
                  </dd>
                </div>
                <div className="lx-field">
                  <dt>{t('auditor.disputes.escalation')}</dt>
                  <dd>
                    {r.escalation
                      ? t('auditor.disputes.escalatedBy', {
                          by: name(r.escalation.escalatedBy),
                          reason: r.escalation.reason ?? '',
                        })
                      : '—'}
                  </dd>
                </div>
                {escalation && (
                  <div className="lx-field">
                    <dt>{t('auditor.disputes.deadline')}</dt>
                    <dd>
                      <Instant iso={escalation.decideBy} />
                      {escalation.overdue && (
                        <>
                          {' '}
                          <Tag tone="bad">{t('auditor.disputes.overdue')}</Tag>
                        </>
                      )}
                    </dd>
                  </div>
                )}
                <div className="lx-field">
                  <dt>{t('auditor.disputes.rules')}</dt>
                  <dd>
                    <AutomaticRules applied={r.automaticRules} />
                  </dd>
                </div>
                <div className="lx-field">
                  <dt>{t('auditor.disputes.finding')}</dt>
                  <dd>{r.finding}</dd>
                </div>
              </dl>
              {r.decision && !decided ? (
                <Alert color={TONE.info} title={t('auditor.disputes.alreadyDecided')}>
                  {t(`auditor.outcome.${r.decision.outcome}`)} — {r.decision.rationale}
                </Alert>
              ) : decided ? (
                <DecisionResult decision={decided} allocationId={allocationId} report={r} />
              ) : (
                <DecisionForm allocationId={allocationId} onDecided={setDecided} />
              )}
            </Stack>
          );
        }}
      </QueryState>
    </Card>
  );
}

/** Each automatic rule applied to the return, in log order, with what it found. */
function AutomaticRules({ applied }: { applied: DisputeReport['automaticRules'] }) {
  const { t } = useTranslation();
  if (applied.length === 0) return <>{t('auditor.disputes.rulesNone')}</>;
  return (
    <ul className="lx-rules" aria-label={t('auditor.disputes.rules')}>
      {applied.map((rule) => (
        <li key={`${rule.position}-${rule.rule}`}>
          <Text span fw={600}>
            {t(`auditor.disputes.ruleName.${rule.rule}`, { defaultValue: rule.rule })}
          </Text>{' '}
          <Tag tone={rule.outcome === 'passed' || rule.outcome === 'not-applicable' ? 'info' : 'warn'}>
            {t(`auditor.disputes.ruleOutcome.${rule.outcome}`)}
          </Tag>
          <Text size="sm">
            {rule.detail}{' '}
            <Text span size="xs" c="dimmed">
              ({t('auditor.data.logPosition')} {rule.position})
            </Text>
          </Text>
        </li>
      ))}
    </ul>
  );
}

/** The data of an event without the ids the page already shows by name. */
function withoutIds(value: Record<string, unknown>) {
  const { allocationId: _a, leadId: _l, orderId: _o, buyerId: _b, sellerId: _s, ...rest } = value;
  return rest;
}

function DecisionForm({
  allocationId,
  onDecided,
}: {
  allocationId: string;
  onDecided: (decision: Decision) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const schema = z.object({
    outcome: z.enum(['accept', 'reject'], { error: t('auditor.decision.outcomeRequired') }),
    rationale: z
      .string()
      .trim()
      .min(10, t('auditor.decision.rationaleShort'))
      .max(4000, t('auditor.decision.rationaleLong')),
  });
  type Form = z.infer<typeof schema>;
  const form = useForm<Form>({ resolver: zodResolver(schema), defaultValues: { rationale: '' } });
  const decide = useMutation({
    mutationFn: async (values: Form) =>
      data(
        await settlementApi.POST('/v1/disputes/{allocationId}/decision', {
          params: { path: { allocationId } },
          body: values,
        }),
      ),
    onSuccess: (decision) => {
      void queryClient.invalidateQueries({ queryKey: ['auditor', 'disputes'] });
      void queryClient.invalidateQueries({ queryKey: ['auditor', 'report', allocationId] });
      onDecided(decision);
    },
    onError: (error) => {
      if (error instanceof ApiProblem)
        for (const field of ['outcome', 'rationale'] as const) {
          const messages = error.fieldMessages(field);
          if (messages.length > 0) form.setError(field, { message: messages.join('; ') });
        }
    },
  });
  return (
    <form onSubmit={form.handleSubmit((values) => decide.mutate(values))} noValidate>
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('auditor.decision.title')}
        </Title>
        <Controller
          control={form.control}
          name="outcome"
          render={({ field, fieldState }) => (
            <Radio.Group
              label={t('auditor.decision.outcome')}
              value={field.value ?? null}
              onChange={field.onChange}
              error={fieldState.error?.message}
              withAsterisk
            >
              <Group mt={4}>
                <Radio value="accept" label={t('auditor.decision.accept')} />
                <Radio value="reject" label={t('auditor.decision.reject')} />
              </Group>
            </Radio.Group>
          )}
        />
        <Textarea
          label={t('auditor.decision.rationale')}
          description={t('auditor.decision.rationaleHint')}
          autosize
          minRows={3}
          withAsterisk
          {...form.register('rationale')}
          error={form.formState.errors.rationale?.message}
        />
        {decide.isError && <ProblemAlert error={decide.error} />}
        <Group>
          <Button type="submit" loading={decide.isPending}>
            {t('auditor.decision.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** After the decision: what moved in the ledger (the allocation's transfer) and whether it balances. */
function DecisionResult({
  decision,
  allocationId,
  report,
}: {
  decision: Decision;
  allocationId: string;
  report: DisputeReport;
}) {
  const { t } = useTranslation();
  const expected = decision.type === 'ReturnAccepted' ? 'voided' : null;
  const transfer = useQuery({
    queryKey: ['auditor', 'transfer', allocationId],
    queryFn: async () =>
      data(
        await settlementApi.GET('/v1/ledger/transfers/{allocationId}', {
          params: { path: { allocationId } },
        }),
      ),
    // The ledger follows the log: ask again until the decision reached it.
    refetchInterval: (query) => (expected && query.state.data?.status !== expected ? 1000 : false),
  });
  const status = useQuery({
    queryKey: ['auditor', 'ledger-status', transfer.data?.status],
    queryFn: async () => data(await settlementApi.GET('/v1/ledger/status')),
    enabled: transfer.data !== undefined,
  });
  return (
    <Stack gap="sm" aria-live="polite">
      <Alert color={TONE.ok} title={t('auditor.decision.recorded')}>
        {t(`auditor.outcome.${decision.type === 'ReturnAccepted' ? 'accepted' : 'rejected'}`)} —{' '}
        {decision.rationale}
      </Alert>
      <Title order={3} size="h4">
        {t('auditor.decision.ledger')}
      </Title>
      <QueryState query={transfer}>
        {(tr) => (
          <dl className="lx-fields">
            <div className="lx-field">
              <dt>{t('auditor.decision.transfer')}</dt>
              <dd>
                <Tag tone={tr.status === 'voided' ? 'warn' : tr.status === 'posted' ? 'ok' : 'info'}>
                  {t(`auditor.transferStatus.${tr.status}`)}
                </Tag>
              </dd>
            </div>
            <div className="lx-field">
              <dt>{t('auditor.decision.price')}</dt>
              <dd>
                <Money minor={tr.price} currency={tr.currency} />
              </dd>
            </div>
            <div className="lx-field">
              <dt>{t('auditor.decision.refundedTo')}</dt>
              <dd>
                {tr.refundedTo
                  ? (report.participants[tr.buyerId]?.name ?? tr.refundedTo)
                  : t('auditor.data.none')}
              </dd>
            </div>
            <div className="lx-field">
              <dt>{t('auditor.decision.ledgerStatus')}</dt>
              <dd>
                {status.data ? (
                  <Verdict
                    ok={status.data.balanced}
                    yes={t('auditor.decision.balanced')}
                    no={t('auditor.decision.unbalanced')}
                  />
                ) : (
                  t('state.loading')
                )}
              </dd>
            </div>
          </dl>
        )}
      </QueryState>
    </Stack>
  );
}

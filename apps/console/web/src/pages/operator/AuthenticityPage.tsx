import {
  Badge,
  Button,
  Group,
  Paper,
  Radio,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
} from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { data, settlementApi } from '../../api/client';
import type { SettlementAnswer } from '../../api/types';
import { useCursorList } from '../../api/use-cursor-list';
import { PageTitle, SectionTitle } from '../../components/Headings';
import { Instant } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatNumber } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { Notice } from './Notice';
import { showFieldProblems, useParticipantNames } from './shared';

export type Task = SettlementAnswer<'AuthenticityController_tasks'>['items'][number];
export type Sample = SettlementAnswer<'AuthenticityController_samples'>['items'][number];
type Events = SettlementAnswer<'AuthenticityController_answer'>['events'];

const OUTCOMES = ['confirmed', 'unreachable', 'denied'] as const;
const DECISIONS = ['release', 'withdraw'] as const;
const SAMPLE_STATUSES = ['held', 'sampling', 'passed', 'released', 'withdrawn'] as const;
const LIVE_MS = 3000;

/** What the answer or decision caused, in words (the events the exchange recorded). */
function useEventsText() {
  const { t } = useTranslation();
  return (events: Events) =>
    events
      .map(({ type }) =>
        type === 'AuthenticitySampleHeld' || type === 'AuthenticitySamplePassed'
          ? t(`operator.authenticity.events.${type}`)
          : null,
      )
      .filter((text) => text !== null)
      .join(' ');
}

/** A label and its value, one under the other. */
function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}

/** One contact check: the lead, who to call, and the answer with its evidence. */
export function TaskCard({ task, onAnswered }: { task: Task; onAnswered: (text: string) => void }) {
  const { t } = useTranslation();
  const nameOf = useParticipantNames();
  const eventsText = useEventsText();
  const schema = useMemo(
    () =>
      z.object({
        outcome: z.enum(OUTCOMES, { error: t('operator.authenticity.outcomeRequired') }),
        evidence: z
          .string()
          .trim()
          .min(5, t('operator.authenticity.evidenceRequired'))
          .max(4000, t('operator.authenticity.evidenceTooLong')),
      }),
    [t],
  );
  type Form = z.infer<typeof schema>;
  const form = useForm<z.input<typeof schema>, unknown, Form>({
    resolver: zodResolver(schema),
    defaultValues: { evidence: '' },
  });
  const answer = useMutation({
    mutationFn: async (values: Form) =>
      data(
        await settlementApi.POST('/v1/authenticity/tasks/{leadId}/answer', {
          params: { path: { leadId: task.leadId } },
          body: values,
        }),
      ),
    onSuccess: (answered, values) =>
      onAnswered(
        [
          t('operator.authenticity.answered', {
            outcome: t(`operator.authenticity.outcomes.${values.outcome}`),
          }),
          eventsText(answered.events),
        ]
          .filter(Boolean)
          .join(' '),
      ),
    onError: (error) => showFieldProblems(error, form.setError, ['outcome', 'evidence']),
  });
  const { contact } = task;
  const errors = form.formState.errors;
  const title = t('operator.authenticity.taskTitle', { rank: task.rank, batch: task.batchId.slice(0, 8) });
  return (
    <Paper withBorder p="md" component="section" aria-label={title} data-testid="authenticity-task">
      <form onSubmit={form.handleSubmit((values) => answer.mutate(values))} noValidate>
        <Stack gap="sm">
          <Text fw={700}>{title}</Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Field label={t('operator.authenticity.seller')}>{nameOf(task.sellerId) ?? task.sellerId}</Field>
            <Field label={t('operator.authenticity.market')}>{task.vertical}</Field>
            <Field label={t('operator.authenticity.lead')}>{task.leadId}</Field>
            <Field label={t('operator.authenticity.check')}>{task.check}</Field>
          </SimpleGrid>
          {contact.status === 'available' ? (
            <SimpleGrid cols={{ base: 1, sm: 3 }} data-testid="task-contact">
              <Field label={t('operator.authenticity.person')}>{contact.name ?? '—'}</Field>
              <Field label={t('operator.authenticity.phone')}>{contact.phone ?? '—'}</Field>
              <Field label={t('operator.authenticity.email')}>{contact.email ?? '—'}</Field>
            </SimpleGrid>
          ) : (
            <Text size="sm">{t(`operator.authenticity.contact.${contact.status}`)}</Text>
          )}
          <Controller
            control={form.control}
            name="outcome"
            render={({ field }) => (
              <Radio.Group
                label={t('operator.authenticity.outcome')}
                value={field.value ?? null}
                onChange={field.onChange}
                error={errors.outcome?.message}
                required
              >
                <Group gap="md" mt={6}>
                  {OUTCOMES.map((outcome) => (
                    <Radio
                      key={outcome}
                      value={outcome}
                      label={t(`operator.authenticity.outcomes.${outcome}`)}
                    />
                  ))}
                </Group>
              </Radio.Group>
            )}
          />
          <Textarea
            label={t('operator.authenticity.evidence')}
            description={t('operator.authenticity.evidenceHint')}
            rows={3}
            {...form.register('evidence')}
            error={errors.evidence?.message}
            required
          />
          <Group>
            <Button type="submit" loading={answer.isPending}>
              {t('operator.authenticity.record')}
            </Button>
          </Group>
          {answer.isError && <ProblemAlert error={answer.error} />}
        </Stack>
      </form>
    </Paper>
  );
}

/** A held batch: its tally, and the operator's decision with a note. */
export function SampleCard({ sample, onDecided }: { sample: Sample; onDecided: (text: string) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const nameOf = useParticipantNames();
  const eventsText = useEventsText();
  const schema = useMemo(
    () =>
      z.object({
        decision: z.enum(DECISIONS, { error: t('operator.authenticity.decisionRequired') }),
        note: z
          .string()
          .trim()
          .min(5, t('operator.authenticity.noteRequired'))
          .max(2000, t('operator.authenticity.noteTooLong')),
      }),
    [t],
  );
  type Form = z.infer<typeof schema>;
  const form = useForm<z.input<typeof schema>, unknown, Form>({
    resolver: zodResolver(schema),
    defaultValues: { note: '' },
  });
  const decide = useMutation({
    mutationFn: async (values: Form) =>
      data(
        await settlementApi.POST('/v1/authenticity/samples/{batchId}/decision', {
          params: { path: { batchId: sample.batchId } },
          body: values,
        }),
      ),
    onSuccess: (decided, values) =>
      onDecided(
        [t(`operator.authenticity.decided.${values.decision}`), eventsText(decided.events)]
          .filter(Boolean)
          .join(' '),
      ),
    onError: (error) => showFieldProblems(error, form.setError, ['decision', 'note']),
  });
  const errors = form.formState.errors;
  const title = t('operator.authenticity.sampleTitle', {
    batch: sample.batchId.slice(0, 8),
    seller: nameOf(sample.sellerId) ?? sample.sellerId,
  });
  const count = (value: number) => formatNumber(value, locale);
  return (
    <Paper withBorder p="md" component="section" aria-label={title} data-testid="authenticity-sample">
      <form onSubmit={form.handleSubmit((values) => decide.mutate(values))} noValidate>
        <Stack gap="sm">
          <Group justify="space-between">
            <Text fw={700}>{title}</Text>
            <Badge
              color={sample.status === 'held' ? 'red.9' : 'gray.8'}
              variant="filled"
              style={{ minWidth: 'max-content' }}
            >
              {t(`operator.authenticity.statuses.${sample.status}`)}
            </Badge>
          </Group>
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Field label={t('operator.authenticity.market')}>{sample.vertical}</Field>
            <Field label={t('operator.authenticity.batch')}>{sample.batchId}</Field>
            <Field label={t('operator.authenticity.drawnAt')}>
              <Instant iso={sample.drawnAt} />
            </Field>
            <Field label={t('operator.authenticity.threshold')}>{`${sample.holdThresholdPercent} %`}</Field>
          </SimpleGrid>
          <Text size="sm" data-testid="sample-tally">
            {t('operator.authenticity.tally', {
              population: count(sample.population),
              sampled: count(sample.sampled),
              answered: count(sample.answered),
              confirmed: count(sample.confirmed),
              failed: count(sample.failed),
            })}
          </Text>
          {sample.decisionNote && (
            <Field label={t('operator.authenticity.decisionNote')}>
              {sample.decisionNote} ({nameOf(sample.decidedBy) ?? sample.decidedBy})
            </Field>
          )}
          {sample.status === 'held' && (
            <>
              <Controller
                control={form.control}
                name="decision"
                render={({ field }) => (
                  <Radio.Group
                    label={t('operator.authenticity.decision')}
                    value={field.value ?? null}
                    onChange={field.onChange}
                    error={errors.decision?.message}
                    required
                  >
                    <Stack gap={6} mt={6}>
                      {DECISIONS.map((decision) => (
                        <Radio
                          key={decision}
                          value={decision}
                          label={t(`operator.authenticity.decisions.${decision}`)}
                        />
                      ))}
                    </Stack>
                  </Radio.Group>
                )}
              />
              <Textarea
                label={t('operator.authenticity.note')}
                description={t('operator.authenticity.noteHint')}
                rows={3}
                {...form.register('note')}
                error={errors.note?.message}
                required
              />
              <Group>
                <Button type="submit" loading={decide.isPending}>
                  {t('operator.authenticity.decide')}
                </Button>
              </Group>
              {decide.isError && <ProblemAlert error={decide.error} />}
            </>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

/**
 * Authenticity checks (docs/architecture.md §4.1): the verification staff's queue of contact
 * checks, and the samples by state — the held ones wait for a decision.
 */
export default function AuthenticityPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [note, setNote] = useState<string | null>(null);
  const [status, setStatus] = useState<(typeof SAMPLE_STATUSES)[number]>('held');
  // Live lists (new draws arrive, and an answer reaches the read model a moment after it is recorded).
  const tasks = useCursorList<Task>(
    ['operator', 'authenticity', 'tasks'],
    async (cursor) =>
      data(await settlementApi.GET('/v1/authenticity/tasks', { params: { query: { cursor, limit: 20 } } })),
    { refetchInterval: LIVE_MS },
  );
  const samples = useQuery({
    queryKey: ['operator', 'authenticity', 'samples', status],
    refetchInterval: LIVE_MS,
    queryFn: async () =>
      data(await settlementApi.GET('/v1/authenticity/samples', { params: { query: { status } } })),
  });
  const done = (text: string) => {
    setNote(text);
    void queryClient.invalidateQueries({ queryKey: ['operator', 'authenticity'] });
  };

  return (
    <Stack>
      <PageTitle>{t('operator.authenticity.title')}</PageTitle>
      <Text c="dimmed" maw={760}>
        {t('operator.authenticity.intro')}
      </Text>
      {note && (
        <div data-testid="authenticity-answer">
          <Notice title={t('operator.authenticity.recorded')}>{note}</Notice>
        </div>
      )}
      <SectionTitle>{t('operator.authenticity.tasksTitle')}</SectionTitle>
      <QueryState
        query={tasks.query}
        isEmpty={() => tasks.items.length === 0}
        empty={t('operator.authenticity.noTasks')}
      >
        {() => (
          <Stack>
            {tasks.items.map((task) => (
              <TaskCard key={task.leadId} task={task} onAnswered={done} />
            ))}
            {tasks.hasMore && (
              <Button variant="light" onClick={tasks.loadMore} style={{ alignSelf: 'flex-start' }}>
                {t('state.loadMore')}
              </Button>
            )}
          </Stack>
        )}
      </QueryState>
      <SectionTitle>{t('operator.authenticity.samplesTitle')}</SectionTitle>
      <SegmentedControl
        aria-label={t('operator.authenticity.filterByStatus')}
        value={status}
        onChange={(value) => setStatus(value as typeof status)}
        data={SAMPLE_STATUSES.map((value) => ({
          value,
          label: t(`operator.authenticity.statuses.${value}`),
        }))}
        style={{ alignSelf: 'flex-start', maxWidth: '100%', overflowX: 'auto' }}
      />
      <QueryState
        query={samples}
        isEmpty={(answer) => answer.items.length === 0}
        empty={t('operator.authenticity.noSamples')}
      >
        {(answer) => (
          <Stack>
            {answer.items.map((sample) => (
              <SampleCard key={sample.batchId} sample={sample} onDecided={done} />
            ))}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

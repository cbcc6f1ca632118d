import { Alert, Button, Card, Group, Progress, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { data, settlementApi } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import type { SettlementAnswer } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatNumber } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { FieldList, JsonDownload, RawJson, Tag, TONE, Verdict } from './kit';
import { PageTitle } from '../../components/Headings';

type Replay = SettlementAnswer<'AuditController_replay'>;
type Market = Replay['markets'][number];
type ReplayRun = SettlementAnswer<'AuditController_replayRun'>;

const column = createColumnHelper<Market>();
const UNFINISHED: readonly string[] = ['queued', 'running'];

/** The proofs an auditor runs over the log: the replay, the hash chains, the read models. */
export default function ProofsPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <PageTitle>{t('auditor.proofs.title')}</PageTitle>
      <Text>{t('auditor.proofs.intro')}</Text>
      <ReplayProof />
      <IntegrityCheck />
      <ReadModelCheck />
    </Stack>
  );
}

/** One proof's section: its heading names the region, its intro says what it proves. */
function ProofCard({
  id,
  title,
  intro,
  children,
}: {
  id: string;
  title: string;
  intro: string;
  children: ReactNode;
}) {
  return (
    <Card withBorder component="section" aria-labelledby={`${id}-heading`}>
      <Title order={2} size="h3" id={`${id}-heading`} mb="xs">
        {title}
      </Title>
      <Text size="sm" mb="sm">
        {intro}
      </Text>
      {children}
    </Card>
  );
}

/**
 * The replay runs on the server as a run the page watches (twice a second while it runs); the
 * run's id is kept in the address, so a reload or a shared link shows the same run.
 */
function ReplayProof() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const runId = params.get('run');
  const [upTo, setUpTo] = useState('');
  const [upToError, setUpToError] = useState<string | null>(null);
  const start = useMutation({
    mutationFn: async (position: string | undefined) =>
      data(await settlementApi.POST('/v1/audit/replays', { params: { query: { upTo: position } } })),
    onSuccess: (run) => setParams({ run: run.id }, { replace: true }),
    onError: (error) => {
      if (error instanceof ApiProblem) {
        const messages = error.fieldMessages('upTo');
        if (messages.length > 0) setUpToError(messages.join('; '));
      }
    },
  });
  const run = useQuery({
    queryKey: ['auditor', 'replay-run', runId],
    enabled: runId !== null,
    queryFn: async () =>
      data(await settlementApi.GET('/v1/audit/replays/{runId}', { params: { path: { runId: runId! } } })),
    refetchInterval: (query) =>
      query.state.data && !UNFINISHED.includes(query.state.data.state) ? false : 500,
  });
  const busy = start.isPending || (run.data !== undefined && UNFINISHED.includes(run.data.state));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const position = upTo.trim();
    if (position && !/^\d{1,20}\/\d{1,20}$/.test(position)) {
      setUpToError(t('auditor.proofs.upToInvalid'));
      return;
    }
    setUpToError(null);
    start.mutate(position || undefined);
  };
  return (
    <ProofCard id="replay" title={t('auditor.proofs.replay')} intro={t('auditor.proofs.replayIntro')}>
      <form onSubmit={submit}>
        <Group align="flex-end" wrap="wrap">
          <TextInput
            label={t('auditor.proofs.upTo')}
            description={t('auditor.proofs.upToHint')}
            placeholder="812/4711"
            value={upTo}
            onChange={(event) => setUpTo(event.currentTarget.value)}
            error={upToError}
            style={{ flex: '1 1 220px' }}
          />
          <Button type="submit" loading={busy}>
            {t('auditor.proofs.runReplay')}
          </Button>
        </Group>
      </form>
      {start.isError && !upToError && <ProblemAlert error={start.error} />}
      {run.isError && <ProblemAlert error={run.error} />}
      {run.data && <ReplayRunView run={run.data} />}
    </ProofCard>
  );
}

export function ReplayRunView({ run }: { run: ReplayRun }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (run.state === 'queued' || run.state === 'running') {
    const { eventsRead, position, sequence, total } = run.progress;
    const percent = sequence !== null && total ? Math.min(100, Math.floor((sequence / total) * 100)) : null;
    const events = formatNumber(eventsRead, locale);
    return (
      <Stack gap={4} mt="sm" role="status" aria-live="polite">
        <Progress
          value={percent ?? 100}
          animated={percent === null}
          striped={percent === null}
          aria-label={t('auditor.proofs.progressLabel')}
        />
        <Text size="sm">
          {run.state === 'queued'
            ? t('auditor.proofs.queued')
            : position === null
              ? t('auditor.proofs.starting')
              : percent === null
                ? t('auditor.proofs.progressUnknown', { events, position })
                : t('auditor.proofs.progress', { events, position, percent })}
        </Text>
      </Stack>
    );
  }
  if (!run.proof)
    return (
      <Alert
        mt="sm"
        color={TONE.bad}
        title={t(run.state === 'interrupted' ? 'auditor.proofs.runInterrupted' : 'auditor.proofs.runFailed')}
      >
        {run.error}
      </Alert>
    );
  return <ReplayResult proof={run.proof} />;
}

function ReplayResult({ proof }: { proof: Replay }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const columns = [
    column.accessor('vertical', { header: t('auditor.proofs.market') }),
    column.accessor('inputs', {
      header: t('auditor.proofs.inputs'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    column.accessor('compared', {
      header: t('auditor.proofs.compared'),
      cell: (cell) =>
        t('auditor.proofs.comparedOf', {
          compared: formatNumber(cell.getValue(), locale),
          recorded: formatNumber(cell.row.original.recordedOutputs, locale),
        }),
    }),
    column.accessor('identical', {
      header: t('auditor.proofs.verdict'),
      cell: (cell) => (
        <Tag tone={cell.getValue() ? 'ok' : 'bad'}>
          {cell.getValue() ? t('auditor.proofs.confirmed') : t('auditor.proofs.diverged')}
        </Tag>
      ),
    }),
    column.accessor('replayedDigest', {
      header: t('auditor.proofs.digest'),
      cell: (cell) => (
        <Text size="xs" ff="monospace" title={cell.getValue()}>
          {cell.getValue().slice(0, 16)}…
        </Text>
      ),
    }),
    column.accessor('firstDivergence', {
      header: t('auditor.proofs.firstDivergence'),
      enableSorting: false,
      cell: (cell) =>
        cell.getValue() ? <FieldList data={cell.getValue()} /> : t('auditor.proofs.noDivergence'),
    }),
  ];
  return (
    <Stack mt="sm" gap="sm" aria-live="polite">
      <Group gap="sm" wrap="wrap">
        <Verdict ok={proof.ok} yes={t('auditor.proofs.confirmed')} no={t('auditor.proofs.diverged')} />
        <Text size="sm">
          {t('auditor.proofs.replaySummary', {
            events: formatNumber(proof.eventsRead, locale),
            seconds: formatNumber(proof.seconds, locale, { maximumFractionDigits: 1 }),
            upTo: proof.upTo ?? t('auditor.proofs.endOfLog'),
          })}
        </Text>
        <JsonDownload value={proof} filename="replay-proof.json" label={t('auditor.downloadJson')} />
      </Group>
      <DataTable
        caption={t('auditor.proofs.marketsCaption')}
        columns={columns}
        rows={proof.markets}
        rowKey={(market) => market.vertical}
      />
    </Stack>
  );
}

function IntegrityCheck() {
  const { t } = useTranslation();
  const locale = useLocale();
  const check = useMutation({
    mutationFn: async () => data(await settlementApi.GET('/v1/audit/integrity')),
  });
  return (
    <ProofCard
      id="integrity"
      title={t('auditor.proofs.integrity')}
      intro={t('auditor.proofs.integrityIntro')}
    >
      <Group>
        <Button onClick={() => check.mutate()} loading={check.isPending} variant="default">
          {t('auditor.proofs.runIntegrity')}
        </Button>
      </Group>
      {check.isPending && (
        <Progress mt="sm" value={100} animated striped aria-label={t('auditor.proofs.running')} />
      )}
      {check.isError && <ProblemAlert error={check.error} />}
      {check.data && (
        <Stack mt="sm" gap="sm" aria-live="polite">
          <Group gap="sm" wrap="wrap">
            <Verdict ok={check.data.ok} yes={t('auditor.proofs.verified')} no={t('auditor.proofs.broken')} />
            <Text size="sm">
              {t('auditor.proofs.integritySummary', {
                streams: formatNumber(check.data.streamsChecked, locale),
                events: formatNumber(check.data.eventsChecked, locale),
              })}
            </Text>
            <JsonDownload
              value={check.data}
              filename="integrity-check.json"
              label={t('auditor.downloadJson')}
            />
          </Group>
          {check.data.firstFailure && (
            <div>
              <Text fw={600}>{t('auditor.proofs.firstFailure')}</Text>
              <FieldList data={check.data.firstFailure} />
            </div>
          )}
        </Stack>
      )}
    </ProofCard>
  );
}

function ReadModelCheck() {
  const { t } = useTranslation();
  const locale = useLocale();
  const verify = useMutation({
    mutationFn: async () => data(await settlementApi.POST('/v1/audit/read-models/verify')),
  });
  return (
    <ProofCard
      id="read-models"
      title={t('auditor.proofs.readModels')}
      intro={t('auditor.proofs.readModelsIntro')}
    >
      <Group>
        <Button onClick={() => verify.mutate()} loading={verify.isPending} variant="default">
          {t('auditor.proofs.runReadModels')}
        </Button>
      </Group>
      {verify.isPending && (
        <Progress mt="sm" value={100} animated striped aria-label={t('auditor.proofs.running')} />
      )}
      {verify.isError && <ProblemAlert error={verify.error} />}
      {verify.data && (
        <Stack mt="sm" gap="sm" aria-live="polite">
          <Group gap="sm" wrap="wrap">
            <Verdict
              ok={verify.data.equal}
              yes={t('auditor.proofs.equal')}
              no={t('auditor.proofs.different')}
            />
            <JsonDownload value={verify.data} filename="read-models.json" label={t('auditor.downloadJson')} />
          </Group>
          <Stack gap={4}>
            {verify.data.projections.map((projection) => (
              <Group key={projection.projection} gap="xs" wrap="wrap">
                <Tag tone={projection.equal ? 'ok' : 'bad'}>
                  {projection.equal ? t('auditor.proofs.equal') : t('auditor.proofs.different')}
                </Tag>
                <Text size="sm">
                  {t('auditor.proofs.projection', {
                    name: projection.projection,
                    events: formatNumber(projection.eventsApplied, locale),
                  })}
                </Text>
              </Group>
            ))}
          </Stack>
          <RawJson value={verify.data} />
        </Stack>
      )}
    </ProofCard>
  );
}

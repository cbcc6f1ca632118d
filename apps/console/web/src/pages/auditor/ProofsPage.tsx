import { Button, Card, Group, Progress, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { data, settlementApi } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import type { SettlementAnswer } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatNumber } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { FieldList, JsonDownload, RawJson, Tag, Verdict } from './kit';

type Replay = SettlementAnswer<'AuditController_replay'>;
type Market = Replay['markets'][number];

const column = createColumnHelper<Market>();

/** Seconds since `running` became true (the replay answers once, at the end: this is all the progress there is). */
function useElapsed(running: boolean): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!running) return;
    setSeconds(0);
    const started = Date.now();
    const timer = setInterval(() => setSeconds(Math.floor((Date.now() - started) / 1000)), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return seconds;
}

/** The proofs an auditor runs over the log: the replay, the hash chains, the read models. */
export default function ProofsPage() {
  const { t } = useTranslation();
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('auditor.proofs.title')}
      </Title>
      <Text>{t('auditor.proofs.intro')}</Text>
      <ReplayProof />
      <IntegrityCheck />
      <ReadModelCheck />
    </Stack>
  );
}

function ReplayProof() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [upTo, setUpTo] = useState('');
  const [upToError, setUpToError] = useState<string | null>(null);
  const replay = useMutation({
    mutationFn: async (position: string | undefined) =>
      data(await settlementApi.POST('/v1/audit/replay', { params: { query: { upTo: position } } })),
    onError: (error) => {
      if (error instanceof ApiProblem) {
        const messages = error.fieldMessages('upTo');
        if (messages.length > 0) setUpToError(messages.join('; '));
      }
    },
  });
  const elapsed = useElapsed(replay.isPending);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const position = upTo.trim();
    if (position && !/^\d{1,20}\/\d{1,20}$/.test(position)) {
      setUpToError(t('auditor.proofs.upToInvalid'));
      return;
    }
    setUpToError(null);
    replay.mutate(position || undefined);
  };
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
    <Card withBorder component="section" aria-labelledby="replay-heading">
      <Title order={2} size="h3" id="replay-heading" mb="xs">
        {t('auditor.proofs.replay')}
      </Title>
      <Text size="sm" mb="sm">
        {t('auditor.proofs.replayIntro')}
      </Text>
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
          <Button type="submit" loading={replay.isPending}>
            {t('auditor.proofs.runReplay')}
          </Button>
        </Group>
      </form>
      {replay.isPending && (
        <Stack gap={4} mt="sm" role="status" aria-live="polite">
          <Progress value={100} animated striped aria-label={t('auditor.proofs.running')} />
          <Text size="sm">{t('auditor.proofs.runningFor', { seconds: elapsed })}</Text>
        </Stack>
      )}
      {replay.isError && !upToError && <ProblemAlert error={replay.error} />}
      {replay.data && (
        <Stack mt="sm" gap="sm" aria-live="polite">
          <Group gap="sm" wrap="wrap">
            <Verdict
              ok={replay.data.ok}
              yes={t('auditor.proofs.confirmed')}
              no={t('auditor.proofs.diverged')}
            />
            <Text size="sm">
              {t('auditor.proofs.replaySummary', {
                events: formatNumber(replay.data.eventsRead, locale),
                seconds: formatNumber(replay.data.seconds, locale, { maximumFractionDigits: 1 }),
                upTo: replay.data.upTo ?? t('auditor.proofs.endOfLog'),
              })}
            </Text>
            <JsonDownload
              value={replay.data}
              filename="replay-proof.json"
              label={t('auditor.downloadJson')}
            />
          </Group>
          <DataTable
            caption={t('auditor.proofs.marketsCaption')}
            columns={columns}
            rows={replay.data.markets}
            rowKey={(market) => market.vertical}
          />
        </Stack>
      )}
    </Card>
  );
}

function IntegrityCheck() {
  const { t } = useTranslation();
  const locale = useLocale();
  const check = useMutation({
    mutationFn: async () => data(await settlementApi.GET('/v1/audit/integrity')),
  });
  return (
    <Card withBorder component="section" aria-labelledby="integrity-heading">
      <Title order={2} size="h3" id="integrity-heading" mb="xs">
        {t('auditor.proofs.integrity')}
      </Title>
      <Text size="sm" mb="sm">
        {t('auditor.proofs.integrityIntro')}
      </Text>
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
    </Card>
  );
}

function ReadModelCheck() {
  const { t } = useTranslation();
  const locale = useLocale();
  const verify = useMutation({
    mutationFn: async () => data(await settlementApi.POST('/v1/audit/read-models/verify')),
  });
  return (
    <Card withBorder component="section" aria-labelledby="read-models-heading">
      <Title order={2} size="h3" id="read-models-heading" mb="xs">
        {t('auditor.proofs.readModels')}
      </Title>
      <Text size="sm" mb="sm">
        {t('auditor.proofs.readModelsIntro')}
      </Text>
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
    </Card>
  );
}

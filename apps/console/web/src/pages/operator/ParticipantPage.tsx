import { Anchor, Badge, Button, Code, CopyButton, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { data, settlementApi } from '../../api/client';
import { toApiProblem } from '../../api/problem';
import type { SettlementAnswer } from '../../api/types';
import { DataTable } from '../../components/DataTable';
import { Instant } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { ProblemAlert } from '../../components/ProblemAlert';
import { Notice } from './Notice';
import { StatusBadge } from './ParticipantsPage';
import { PageTitle, SectionTitle } from '../../components/Headings';

type ParticipantAnswer = SettlementAnswer<'ParticipantsController_get'>;
type ApiKey = ParticipantAnswer['apiKeys'][number];
const column = createColumnHelper<ApiKey>();

/** One participant: its keys (issue one, shown once; revoke), and suspension. */
export default function ParticipantPage() {
  const { t } = useTranslation();
  const { participantId = '' } = useParams();
  const participant = useQuery({
    queryKey: ['operator', 'participant', participantId],
    queryFn: async () =>
      data(
        await settlementApi.GET('/v1/participants/{participantId}', { params: { path: { participantId } } }),
      ),
  });

  return (
    <Stack>
      <Anchor component={Link} to="/operator/participants" size="sm">
        ← {t('operator.participants.backToList')}
      </Anchor>
      <QueryState query={participant}>
        {(answer) => (
          <Stack>
            <Group gap="sm">
              <PageTitle>{answer.name}</PageTitle>
              <Badge variant="outline" color="indigo.9">
                {t(`roles.${answer.role}`)}
              </Badge>
              <StatusBadge suspended={answer.suspended} />
            </Group>
            <Keys participant={answer} />
            <Suspension participant={answer} />
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

function useRefreshParticipant(participantId: string) {
  const queryClient = useQueryClient();
  return (answer?: ParticipantAnswer) => {
    if (answer) queryClient.setQueryData(['operator', 'participant', participantId], answer);
    void queryClient.invalidateQueries({ queryKey: ['operator', 'participants'] });
    void queryClient.invalidateQueries({ queryKey: ['operator', 'participant', participantId] });
  };
}

function Keys({ participant }: { participant: ParticipantAnswer }) {
  const { t } = useTranslation();
  const { participantId } = participant;
  const refresh = useRefreshParticipant(participantId);
  const issue = useMutation({
    mutationFn: async () =>
      data(
        await settlementApi.POST('/v1/participants/{participantId}/api-keys', {
          params: { path: { participantId } },
        }),
      ),
    onSuccess: () => refresh(),
  });
  const revoke = useMutation({
    mutationFn: async (keyId: string) =>
      data(
        await settlementApi.POST('/v1/participants/{participantId}/api-keys/{keyId}/revoke', {
          params: { path: { participantId, keyId } },
          body: {},
        }),
      ),
    onSuccess: (answer) => refresh(answer),
  });
  const [confirming, setConfirming] = useState<string | null>(null);

  const columns = [
    column.accessor('prefix', {
      header: t('operator.keys.prefix'),
      cell: (cell) => <Code>{cell.getValue()}…</Code>,
    }),
    column.accessor('issuedAt', {
      header: t('operator.keys.issuedAt'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
    column.accessor('revoked', {
      header: t('operator.keys.state'),
      cell: (cell) => (
        <Badge color={cell.getValue() ? 'gray.7' : 'teal.9'} variant="filled">
          {cell.getValue() ? t('operator.keys.revoked') : t('operator.keys.working')}
        </Badge>
      ),
    }),
    column.display({
      id: 'actions',
      header: t('operator.keys.actions'),
      cell: (cell) => {
        const key = cell.row.original;
        if (key.revoked) return null;
        if (confirming === key.keyId)
          return (
            <Group gap="xs" wrap="nowrap">
              <Button
                size="xs"
                color="red.9"
                loading={revoke.isPending}
                onClick={() => revoke.mutate(key.keyId, { onSettled: () => setConfirming(null) })}
              >
                {t('operator.keys.confirmRevoke', { prefix: key.prefix })}
              </Button>
              <Button size="xs" variant="default" onClick={() => setConfirming(null)}>
                {t('actions.cancel')}
              </Button>
            </Group>
          );
        return (
          <Button size="xs" variant="outline" color="red.9" onClick={() => setConfirming(key.keyId)}>
            {t('operator.keys.revoke', { prefix: key.prefix })}
          </Button>
        );
      },
    }),
  ];

  return (
    <Paper withBorder p="md">
      <Stack>
        <Group justify="space-between">
          <SectionTitle>{t('operator.keys.title')}</SectionTitle>
          <Button onClick={() => issue.mutate()} loading={issue.isPending} disabled={participant.suspended}>
            {t('operator.keys.issue')}
          </Button>
        </Group>
        {participant.suspended && <Text c="dimmed">{t('operator.keys.suspendedNoKeys')}</Text>}
        {issue.isError && <ProblemAlert error={issue.error} />}
        {issue.data && (
          <Notice tone="warning" title={t('operator.keys.issuedTitle')}>
            <Stack gap="xs">
              <Text fw={700}>{t('operator.keys.onceWarning')}</Text>
              <Group gap="xs" wrap="nowrap" align="center">
                <Code
                  data-testid="issued-key"
                  style={{ wordBreak: 'break-all', whiteSpace: 'normal' }}
                  aria-label={t('operator.keys.newKey')}
                >
                  {issue.data.apiKey}
                </Code>
                <CopyButton value={issue.data.apiKey}>
                  {({ copied, copy }) => (
                    <Button
                      size="xs"
                      variant={copied ? 'filled' : 'light'}
                      color={copied ? 'teal.9' : undefined}
                      onClick={copy}
                    >
                      {copied ? t('operator.keys.copied') : t('operator.keys.copy')}
                    </Button>
                  )}
                </CopyButton>
              </Group>
              <Button
                size="xs"
                variant="default"
                onClick={() => issue.reset()}
                style={{ alignSelf: 'flex-start' }}
              >
                {t('operator.keys.stored')}
              </Button>
            </Stack>
          </Notice>
        )}
        {revoke.isError && <ProblemAlert error={revoke.error} />}
        {participant.apiKeys.length === 0 ? (
          <Text c="dimmed">{t('operator.keys.none')}</Text>
        ) : (
          <DataTable
            caption={t('operator.keys.caption', { name: participant.name })}
            columns={columns}
            rows={participant.apiKeys}
            rowKey={(key) => key.keyId}
          />
        )}
      </Stack>
    </Paper>
  );
}

function Suspension({ participant }: { participant: ParticipantAnswer }) {
  const { t } = useTranslation();
  const { participantId } = participant;
  const refresh = useRefreshParticipant(participantId);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const suspend = useMutation({
    mutationFn: async (why: string) =>
      data(
        await settlementApi.POST('/v1/participants/{participantId}/suspend', {
          params: { path: { participantId } },
          body: { reason: why },
        }),
      ),
    onSuccess: (answer) => {
      setReason('');
      refresh(answer);
    },
    onError: (error) => {
      const messages = toApiProblem(error).fieldMessages('reason');
      if (messages.length > 0) setReasonError(messages.join('; '));
    },
  });
  const reinstate = useMutation({
    mutationFn: async (why: string) =>
      data(
        await settlementApi.POST('/v1/participants/{participantId}/reinstate', {
          params: { path: { participantId } },
          body: why ? { reason: why } : {},
        }),
      ),
    onSuccess: (answer) => {
      setReason('');
      refresh(answer);
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const why = reason.trim();
    if (!participant.suspended && !why) return setReasonError(t('operator.suspension.reasonRequired'));
    setReasonError(null);
    if (participant.suspended) reinstate.mutate(why);
    else suspend.mutate(why);
  };
  const pending = suspend.isPending || reinstate.isPending;
  const failed = suspend.isError ? suspend.error : reinstate.isError ? reinstate.error : null;

  return (
    <Paper withBorder p="md">
      <form onSubmit={submit} noValidate>
        <Stack>
          <SectionTitle>{t('operator.suspension.title')}</SectionTitle>
          <Text size="sm">
            {participant.suspended
              ? t('operator.suspension.suspendedText')
              : t('operator.suspension.activeText')}
          </Text>
          <TextInput
            label={
              participant.suspended
                ? t('operator.suspension.reinstateReason')
                : t('operator.suspension.reason')
            }
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            error={reasonError}
            required={!participant.suspended}
            maxLength={1000}
          />
          <Group>
            <Button type="submit" color={participant.suspended ? 'teal.9' : 'red.9'} loading={pending}>
              {participant.suspended ? t('operator.suspension.reinstate') : t('operator.suspension.suspend')}
            </Button>
          </Group>
          {failed && <ProblemAlert error={failed} />}
        </Stack>
      </form>
    </Paper>
  );
}

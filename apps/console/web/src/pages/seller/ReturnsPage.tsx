import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  List,
  NativeSelect,
  Radio,
  Stack,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { z } from 'zod';
import { data, sellersApi } from '../../api/client';
import { toApiProblem, type ApiProblem } from '../../api/problem';
import type { SellersAnswer } from '../../api/types';
import { useCursorList } from '../../api/use-cursor-list';
import { Instant } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatInstant } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { PageTitle } from '../../components/Headings';
import { placeFieldMessages } from './shared';

type Claim = SellersAnswer<'ReturnsController_list'>['items'][number];
type Answer = SellersAnswer<'ReturnsController_respond'>;

const EVIDENCE_KINDS = ['call_log', 'email_bounce', 'carrier_lookup', 'document', 'note'] as const;
const STATUS_COLOR: Record<string, string> = {
  requested: 'orange',
  responded: 'blue',
  escalated: 'grape',
  accepted: 'gray',
  rejected: 'green',
};

const answerSchema = z.object({
  position: z.enum(['accept', 'contest']),
  statement: z
    .string()
    .trim()
    .min(1, 'seller.returns.statementRequired')
    .max(4000, 'seller.returns.statementRequired'),
  evidenceKind: z.enum(EVIDENCE_KINDS),
  evidenceDescription: z.string().trim().max(2000),
  evidenceReference: z.string().trim().max(500),
});
type AnswerForm = z.infer<typeof answerSchema>;

/** The exchange's names (in the request body) → the form's fields. */
const FIELD_OF: Record<string, keyof AnswerForm> = {
  position: 'position',
  statement: 'statement',
  description: 'evidenceDescription',
  reference: 'evidenceReference',
  kind: 'evidenceKind',
};

function AnswerClaim({ claim, onAnswered }: { claim: Claim; onAnswered: () => void }) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const form = useForm<AnswerForm>({
    resolver: zodResolver(answerSchema),
    defaultValues: {
      position: 'contest',
      statement: '',
      evidenceKind: 'call_log',
      evidenceDescription: '',
      evidenceReference: '',
    },
  });
  const { register, handleSubmit, formState, setError, control, watch } = form;
  const id = claim.allocationId;
  const message = (field: keyof AnswerForm) => {
    const error = formState.errors[field];
    if (!error?.message) return undefined;
    return error.type === 'server' ? error.message : t(error.message);
  };

  const submit = handleSubmit(async (values) => {
    setProblem(null);
    const evidence = values.evidenceDescription
      ? [
          {
            kind: values.evidenceKind,
            description: values.evidenceDescription,
            ...(values.evidenceReference ? { reference: values.evidenceReference } : {}),
          },
        ]
      : [];
    try {
      const answered = data(
        await sellersApi.POST('/v1/returns/{allocationId}/response', {
          params: { path: { allocationId: id } },
          body: { position: values.position, statement: values.statement, evidence },
        }),
      );
      setAnswer(answered);
      onAnswered();
    } catch (error) {
      const refused = toApiProblem(error);
      setProblem(placeFieldMessages(refused, FIELD_OF, setError));
    }
  });

  if (answer)
    return (
      <Text role="status" c="teal.9">
        {t(answer.responded ? 'seller.returns.sent' : 'seller.returns.alreadySent', {
          position: t(`seller.returns.positions.${answer.position}`),
        })}
      </Text>
    );
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      <Stack gap="sm">
        <Controller
          control={control}
          name="position"
          render={({ field }) => (
            <Radio.Group label={t('seller.returns.position')} {...field} error={message('position')}>
              <Group mt={4}>
                <Radio value="accept" label={t('seller.returns.accept')} />
                <Radio value="contest" label={t('seller.returns.contest')} />
              </Group>
            </Radio.Group>
          )}
        />
        <Textarea
          label={t('seller.returns.statement')}
          withAsterisk
          autosize
          minRows={2}
          error={message('statement')}
          {...register('statement')}
        />
        {watch('position') === 'contest' && (
          <Group grow align="flex-start" wrap="wrap">
            <NativeSelect
              label={t('seller.returns.evidenceKind')}
              data={EVIDENCE_KINDS.map((kind) => ({ value: kind, label: t(`seller.returns.kinds.${kind}`) }))}
              error={message('evidenceKind')}
              {...register('evidenceKind')}
            />
            <TextInput
              label={t('seller.returns.evidenceDescription')}
              error={message('evidenceDescription')}
              {...register('evidenceDescription')}
            />
            <TextInput
              label={t('seller.returns.evidenceReference')}
              error={message('evidenceReference')}
              {...register('evidenceReference')}
            />
          </Group>
        )}
        {problem && <ProblemAlert error={problem} />}
        <Group>
          <Button type="submit" loading={formState.isSubmitting}>
            {t('seller.returns.send')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Returns buyers requested against the seller's leads: the claim, its evidence, the deadline, the answer. */
export default function ReturnsPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const queryClient = useQueryClient();
  const [answered, setAnswered] = useState<Set<string>>(() => new Set());
  const list = useCursorList<Claim>(['seller', 'returns'], async (cursor) =>
    data(await sellersApi.GET('/v1/returns', { params: { query: { cursor, limit: 100 } } })),
  );

  return (
    <Stack>
      <PageTitle>{t('seller.returns.title')}</PageTitle>
      <QueryState
        query={list.query}
        isEmpty={() => list.items.length === 0}
        empty={t('seller.returns.empty')}
      >
        {() => (
          <Stack>
            {list.items.map((claim) => {
              const position = claim.response?.['position'];
              return (
                <Card
                  withBorder
                  key={claim.allocationId}
                  component="article"
                  aria-labelledby={`claim-${claim.allocationId}`}
                >
                  <Stack gap="xs">
                    <Group justify="space-between" wrap="wrap">
                      <Title order={2} size="h4" id={`claim-${claim.allocationId}`}>
                        {t(`seller.returns.reasons.${claim.reason}`, {
                          defaultValue: claim.reason.replace(/_/g, ' '),
                        })}
                      </Title>
                      <Badge color={STATUS_COLOR[claim.status] ?? 'gray'} c="dark.7" variant="light">
                        {t(`seller.returns.status.${claim.status}`, { defaultValue: claim.status })}
                      </Badge>
                    </Group>
                    <Text size="sm">
                      {t('seller.returns.requestedAt', { date: formatInstant(claim.requestedAt, locale) })}
                      {claim.status === 'requested' && (
                        <>
                          {' · '}
                          <strong>
                            {t('seller.returns.deadline', { date: formatInstant(claim.answerBy, locale) })}
                          </strong>
                        </>
                      )}
                    </Text>
                    <Anchor component={Link} to={`/seller/leads/${claim.leadId}`} size="sm">
                      {t('seller.returns.lead')}
                    </Anchor>
                    {claim.text && (
                      <Text>
                        <strong>{t('seller.returns.buyerText')}:</strong> {claim.text}
                      </Text>
                    )}
                    <Text fw={600} size="sm">
                      {t('seller.returns.evidence')}
                    </Text>
                    {claim.evidence.length === 0 ? (
                      <Text size="sm" c="dimmed">
                        {t('seller.returns.noEvidence')}
                      </Text>
                    ) : (
                      <List size="sm">
                        {claim.evidence.map((item, index) => (
                          <List.Item key={index} style={{ overflowWrap: 'anywhere' }}>
                            <strong>
                              {t(`seller.returns.kinds.${item.kind}`, { defaultValue: item.kind })}
                            </strong>
                            : {item.description}
                            {item.reference ? ` (${item.reference})` : ''}
                          </List.Item>
                        ))}
                      </List>
                    )}
                    {typeof position === 'string' && (
                      <Text size="sm">
                        {t('seller.returns.yourAnswer', {
                          position: t(`seller.returns.positions.${position}`, { defaultValue: position }),
                        })}
                      </Text>
                    )}
                    {claim.decision && typeof claim.decision['at'] === 'string' && (
                      <Text size="sm">
                        {t('seller.returns.decision')}: <Instant iso={claim.decision['at']} />
                      </Text>
                    )}
                    {(claim.status === 'requested' || answered.has(claim.allocationId)) && (
                      <AnswerClaim
                        claim={claim}
                        onAnswered={() => {
                          setAnswered((ids) => new Set(ids).add(claim.allocationId));
                          void queryClient.invalidateQueries({ queryKey: ['seller', 'returns'] });
                        }}
                      />
                    )}
                  </Stack>
                </Card>
              );
            })}
          </Stack>
        )}
      </QueryState>
    </Stack>
  );
}

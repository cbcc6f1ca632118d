import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  NativeSelect,
  Paper,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useDropzone } from 'react-dropzone';
import { useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { z } from 'zod';
import { data, download, sellersApi } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatNumber, parseMajorUnits } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { Figure, placeFieldMessages, ReasonsChart } from './shared';
import { uploadBatch, type UploadTerms } from './upload';
import { PageTitle, SectionCard } from '../../components/Headings';

/** Used to read a floor typed in major units when no batch of the market tells its currency yet. */
const FALLBACK_CURRENCY = 'RUB';

const termsSchema = (currency: string) =>
  z
    .object({
      vertical: z
        .string()
        .trim()
        .regex(/^[a-z][a-z0-9_]{0,39}$/, 'seller.upload.errors.vertical'),
      floor: z.string().refine((text) => (parseMajorUnits(text, currency) ?? 0) > 0, {
        message: 'seller.upload.errors.floor',
      }),
      exclusivity: z.enum(['exclusive', 'shared']),
      maxSales: z.string(),
      lifetime: z
        .string()
        .trim()
        .refine((text) => text === '' || (/^\d+$/.test(text) && +text >= 1 && +text <= 8760), {
          message: 'seller.upload.errors.lifetime',
        }),
    })
    .superRefine((terms, context) => {
      const maxSales = terms.maxSales.trim();
      if (terms.exclusivity === 'shared' && !(/^\d+$/.test(maxSales) && +maxSales >= 2 && +maxSales <= 10))
        context.addIssue({ code: 'custom', path: ['maxSales'], message: 'seller.upload.errors.maxSales' });
    });

type TermsForm = z.infer<ReturnType<typeof termsSchema>>;

/** The exchange's names of the terms (in the query string) → the form's fields. */
const FIELD_OF: Record<string, keyof TermsForm> = {
  vertical: 'vertical',
  floor: 'floor',
  exclusivity: 'exclusivity',
  maxSales: 'maxSales',
  listingLifetimeHours: 'lifetime',
};

type Phase = { kind: 'form' } | { kind: 'uploading'; share: number } | { kind: 'sent'; batchId: string };

const ACCEPT = {
  'text/csv': ['.csv'],
  'application/x-ndjson': ['.ndjson', '.jsonl'],
};

/**
 * Upload a file of leads: drop it or choose it, set the listing terms, watch the upload and then
 * the verification, and read the result with the top reasons for rejection.
 */
export default function UploadPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ kind: 'form' });
  const [problem, setProblem] = useState<ApiProblem | null>(null);

  const format = useQuery({
    queryKey: ['seller', 'upload-format'],
    staleTime: Infinity,
    queryFn: async () => data(await sellersApi.GET('/v1/upload-format')),
  });
  const lastBatches = useQuery({
    queryKey: ['seller', 'batches', 'recent'],
    queryFn: async () => data(await sellersApi.GET('/v1/batches', { params: { query: { limit: 20 } } })),
  });

  const [currencyOfVertical, setVertical] = useState('');
  const currency =
    lastBatches.data?.items.find((batch) => batch.terms.vertical === currencyOfVertical)?.terms.currency ??
    null;
  const form = useForm<TermsForm>({
    resolver: (values, context, options) =>
      zodResolver(termsSchema(currency ?? FALLBACK_CURRENCY))(values, context, options),
    defaultValues: { vertical: '', floor: '', exclusivity: 'exclusive', maxSales: '', lifetime: '' },
  });
  const { register, handleSubmit, formState, watch, setError, reset } = form;
  const vertical = watch('vertical');
  const exclusivity = watch('exclusivity');
  useEffect(() => setVertical(vertical.trim()), [vertical]);

  // The market of the seller's last batch, as a starting point.
  const lastVertical = lastBatches.data?.items[0]?.terms.vertical;
  useEffect(() => {
    if (lastVertical && !formState.isDirty) reset({ ...form.getValues(), vertical: lastVertical });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [lastVertical]);

  const dropzone = useDropzone({
    accept: ACCEPT,
    multiple: false,
    noClick: true,
    noKeyboard: true,
    onDropAccepted: (files) => {
      setFile(files[0] ?? null);
      setFileError(null);
    },
    onDropRejected: () => setFileError(t('seller.upload.wrongType')),
  });

  const batch = useQuery({
    queryKey: ['seller', 'batch', phase.kind === 'sent' ? phase.batchId : null],
    enabled: phase.kind === 'sent',
    queryFn: async () =>
      data(
        await sellersApi.GET('/v1/batches/{batchId}', {
          params: { path: { batchId: (phase as { batchId: string }).batchId } },
        }),
      ),
    refetchInterval: (query) => (query.state.data?.status === 'verifying' ? 1000 : false),
  });

  const submit = handleSubmit(async (values) => {
    setProblem(null);
    if (!file) {
      setFileError(t('seller.upload.noFile'));
      return;
    }
    const terms: UploadTerms = {
      vertical: values.vertical.trim(),
      floor: parseMajorUnits(values.floor, currency ?? FALLBACK_CURRENCY)!,
      exclusivity: values.exclusivity,
      ...(values.exclusivity === 'shared' ? { maxSales: Number(values.maxSales.trim()) } : {}),
      ...(values.lifetime.trim() ? { listingLifetimeHours: Number(values.lifetime.trim()) } : {}),
    };
    setPhase({ kind: 'uploading', share: 0 });
    try {
      const uploaded = await uploadBatch(file, terms, (share) => setPhase({ kind: 'uploading', share }));
      setPhase({ kind: 'sent', batchId: uploaded.batchId });
    } catch (error) {
      setPhase({ kind: 'form' });
      const refused =
        error instanceof ApiProblem
          ? error
          : new ApiProblem({ type: 'about:blank', title: String(error), status: 0 });
      setProblem(placeFieldMessages(refused, FIELD_OF, setError));
    }
  });

  const message = (field: keyof TermsForm) => {
    const error = formState.errors[field];
    if (!error?.message) return undefined;
    return error.type === 'server' ? error.message : t(error.message);
  };

  const startOver = () => {
    setPhase({ kind: 'form' });
    setFile(null);
    setProblem(null);
  };

  const required = (format.data?.columns ?? [])
    .filter((column) => column.required === true)
    .map((column) => String(column.name))
    .join(', ');

  return (
    <Stack maw={900}>
      <PageTitle>{t('seller.upload.title')}</PageTitle>
      <Text>{t('seller.upload.intro')}</Text>
      <Group gap="md" wrap="wrap">
        <Anchor
          component="button"
          type="button"
          onClick={() =>
            void download('sellers', '/v1/upload-format/template.csv', 'lead-template.csv').catch((error) =>
              setProblem(error instanceof ApiProblem ? error : null),
            )
          }
        >
          {t('seller.upload.template')}
        </Anchor>
        {required && (
          <Text size="sm" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {t('seller.upload.columns', { columns: required })}
          </Text>
        )}
      </Group>

      {phase.kind !== 'sent' && (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack>
            <Paper
              withBorder
              p="lg"
              {...dropzone.getRootProps()}
              style={{
                borderStyle: 'dashed',
                borderColor: dropzone.isDragActive ? 'var(--mantine-color-blue-6)' : undefined,
                textAlign: 'center',
              }}
            >
              <input
                {...dropzone.getInputProps()}
                aria-label={t('seller.upload.file')}
                data-testid="file-input"
              />
              <Stack align="center" gap="xs">
                <Text>{t('seller.upload.drop')}</Text>
                <Button variant="light" onClick={dropzone.open} type="button">
                  {t('seller.upload.choose')}
                </Button>
                {file && (
                  <Text fw={600} style={{ overflowWrap: 'anywhere' }}>
                    {t('seller.upload.chosen', {
                      name: file.name,
                      size: `${formatNumber(file.size / 1024, locale, { maximumFractionDigits: 1 })} KB`,
                    })}
                  </Text>
                )}
                {fileError && (
                  <Text c="red.9" role="alert">
                    {fileError}
                  </Text>
                )}
              </Stack>
            </Paper>

            <Card withBorder component="fieldset" style={{ minWidth: 0 }}>
              <Text component="legend" fw={600} px={4}>
                {t('seller.upload.terms')}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput
                  label={t('seller.upload.vertical')}
                  description={t('seller.upload.verticalHint')}
                  error={message('vertical')}
                  withAsterisk
                  autoCapitalize="none"
                  {...register('vertical')}
                />
                <TextInput
                  label={t('seller.upload.floor')}
                  description={
                    currency
                      ? t('seller.upload.floorHint', { currency })
                      : t('seller.upload.floorHintUnknown')
                  }
                  inputMode="decimal"
                  error={message('floor')}
                  withAsterisk
                  {...register('floor')}
                />
                <NativeSelect
                  label={t('seller.upload.exclusivity')}
                  data={[
                    { value: 'exclusive', label: t('seller.exclusivity.exclusive') },
                    { value: 'shared', label: t('seller.exclusivity.shared') },
                  ]}
                  error={message('exclusivity')}
                  {...register('exclusivity')}
                />
                <TextInput
                  label={t('seller.upload.maxSales')}
                  description={t('seller.upload.maxSalesHint')}
                  inputMode="numeric"
                  disabled={exclusivity !== 'shared'}
                  withAsterisk={exclusivity === 'shared'}
                  error={message('maxSales')}
                  {...register('maxSales')}
                />
                <TextInput
                  label={t('seller.upload.lifetime')}
                  description={t('seller.upload.lifetimeHint')}
                  inputMode="numeric"
                  error={message('lifetime')}
                  {...register('lifetime')}
                />
              </SimpleGrid>
            </Card>
            {problem && <ProblemAlert error={problem} />}
            {phase.kind === 'uploading' && (
              <Stack gap={4}>
                <Text id="upload-progress">{t('seller.upload.uploading')}</Text>
                <Progress value={phase.share * 100} aria-label={t('seller.upload.uploading')} animated />
              </Stack>
            )}
            <Group>
              <Button type="submit" loading={phase.kind === 'uploading'}>
                {t('seller.upload.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}

      {phase.kind === 'sent' && (
        <Stack>
          {batch.isError && <ProblemAlert error={batch.error} />}
          <Stack gap={4}>
            <Text id="verify-progress" fw={600} role="status">
              {batch.data?.status === 'verifying' || !batch.data
                ? t('seller.upload.verifying')
                : t('seller.upload.verified')}
            </Text>
            <Progress
              value={(batch.data?.progress.share ?? 0) * 100}
              aria-label={t('seller.upload.verifying')}
              color={batch.data && batch.data.status !== 'verifying' ? 'green' : 'blue'}
            />
          </Stack>
          {batch.data && batch.data.status !== 'verifying' && (
            <SectionCard id="upload-result" title={t('seller.upload.result')}>
              <Group grow mb="md">
                <Figure label={t('seller.upload.totalRows')}>
                  {formatNumber(batch.data.progress.totalRows, locale)}
                </Figure>
                <Figure label={t('seller.upload.accepted')}>
                  {formatNumber(batch.data.progress.accepted, locale)}
                </Figure>
                <Figure label={t('seller.upload.rejected')}>
                  {formatNumber(batch.data.progress.rejected, locale)}
                </Figure>
              </Group>
              <ReasonsChart reasons={batch.data.reasons} title={t('seller.upload.reasonsChart')} />
            </SectionCard>
          )}
          <Group>
            <Button component={Link} to={`/seller/batches/${phase.batchId}`} variant="light">
              {t('seller.upload.openBatch')}
            </Button>
            <Button variant="default" onClick={startOver}>
              {t('seller.upload.another')}
            </Button>
          </Group>
        </Stack>
      )}
      {lastBatches.isError && <Alert color="yellow">{t('state.error')}</Alert>}
    </Stack>
  );
}

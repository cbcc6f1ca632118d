import { zodResolver } from '@hookform/resolvers/zod';
import { Button, Checkbox, Group, NativeSelect, Stack, TextInput, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm, type FieldValues, type Path, type UseFormSetError } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { buyersApi, data } from '../../api/client';
import { toApiProblem } from '../../api/problem';
import type { BuyersAnswer } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { parseMajorUnits } from '../../format/format';
import type { Purchase } from './purchased-lead';

export const RETURN_REASONS = [
  'invalid_phone',
  'invalid_email',
  'duplicate',
  'fake_or_fraud',
  'no_consent',
  'filter_mismatch',
  'other',
] as const;
export const EVIDENCE_KINDS = ['call_log', 'email_bounce', 'carrier_lookup', 'document', 'note'] as const;

/**
 * Puts the messages a problem gives for request fields next to the form fields they belong to;
 * answers whether any field took one (otherwise the problem is shown whole above the button).
 */
function showFieldProblems<F extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<F>,
  fields: Record<string, Path<F>>,
): boolean {
  const problem = toApiProblem(error);
  let shown = false;
  for (const [requestField, formField] of Object.entries(fields)) {
    const messages = problem.fieldMessages(requestField);
    if (messages.length > 0) {
      setError(formField, { type: 'server', message: messages.join('; ') });
      shown = true;
    }
  }
  return shown;
}

type ReturnAnswer = BuyersAnswer<'PurchasedLeadsController_requestReturn'>;

/** Asks to return a purchased lead: reason, one piece of evidence, optionally a replacement. */
export function ReturnForm({
  purchase,
  onDone,
}: {
  purchase: Purchase;
  onDone: (answer: ReturnAnswer) => void;
}) {
  const { t } = useTranslation();
  const schema = z
    .object({
      reason: z.enum(RETURN_REASONS),
      text: z.string().trim(),
      evidenceKind: z.enum(EVIDENCE_KINDS),
      evidenceDescription: z.string().trim().min(1, t('purchases.returnForm.required')),
      evidenceReference: z.string().trim(),
      replace: z.boolean(),
    })
    .refine((form) => form.reason !== 'other' || form.text.length > 0, {
      path: ['text'],
      message: t('purchases.returnForm.required'),
    });
  type Form = z.infer<typeof schema>;
  const form = useForm<Form>({
    resolver: zodResolver(schema),
    defaultValues: {
      reason: 'invalid_phone',
      text: '',
      evidenceKind: 'call_log',
      evidenceDescription: '',
      evidenceReference: '',
      replace: false,
    },
  });
  const submit = useMutation({
    mutationFn: async (values: Form) =>
      data(
        await buyersApi.POST('/v1/purchased-leads/{allocationId}/return', {
          params: { path: { allocationId: purchase.allocationId } },
          body: {
            reason: values.reason,
            ...(values.text ? { text: values.text } : {}),
            evidence: [
              {
                kind: values.evidenceKind,
                description: values.evidenceDescription,
                ...(values.evidenceReference ? { reference: values.evidenceReference } : {}),
              },
            ],
            replace: values.replace,
          },
        }),
      ),
    onSuccess: onDone,
    onError: (error) =>
      showFieldProblems(error, form.setError, {
        reason: 'reason',
        text: 'text',
        kind: 'evidenceKind',
        description: 'evidenceDescription',
        reference: 'evidenceReference',
        evidence: 'evidenceDescription',
        replace: 'replace',
      }),
  });
  const errors = form.formState.errors;
  return (
    <form onSubmit={form.handleSubmit((values) => submit.mutate(values))} noValidate>
      <Stack>
        <NativeSelect
          label={t('purchases.returnForm.reason')}
          data={RETURN_REASONS.map((reason) => ({
            value: reason,
            label: t(`purchases.returnForm.reasons.${reason}`),
          }))}
          error={errors.reason?.message}
          {...form.register('reason')}
        />
        <Textarea
          label={t('purchases.returnForm.text')}
          description={t('purchases.returnForm.textHint')}
          rows={2}
          error={errors.text?.message}
          {...form.register('text')}
        />
        <NativeSelect
          label={t('purchases.returnForm.evidenceKind')}
          data={EVIDENCE_KINDS.map((kind) => ({
            value: kind,
            label: t(`purchases.returnForm.kinds.${kind}`),
          }))}
          error={errors.evidenceKind?.message}
          {...form.register('evidenceKind')}
        />
        <Textarea
          label={t('purchases.returnForm.evidenceDescription')}
          rows={2}
          required
          error={errors.evidenceDescription?.message}
          {...form.register('evidenceDescription')}
        />
        <TextInput
          label={t('purchases.returnForm.evidenceReference')}
          error={errors.evidenceReference?.message}
          {...form.register('evidenceReference')}
        />
        <Checkbox label={t('purchases.returnForm.replace')} {...form.register('replace')} />
        {submit.isError && <ProblemAlert error={submit.error} />}
        <Group justify="flex-end">
          <Button type="submit" loading={submit.isPending}>
            {t('purchases.returnForm.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** `2025-06-02T12:30:05` as the datetime-local field writes it, for now in the browser's time zone. */
function localNow(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}T${pad(now.getHours())}:${pad(
    now.getMinutes(),
  )}:${pad(now.getSeconds())}`;
}

/** Reports that a purchased lead converted: when, and optionally what it was worth. */
export function ConversionForm({ purchase, onDone }: { purchase: Purchase; onDone: () => void }) {
  const { t } = useTranslation();
  const [initialAt] = useState(localNow);
  const schema = z.object({
    at: z
      .string()
      .refine((value) => !Number.isNaN(new Date(value).getTime()), t('purchases.returnForm.required')),
    value: z
      .string()
      .trim()
      .refine(
        (value) => value === '' || parseMajorUnits(value, purchase.currency) !== null,
        t('purchases.conversionForm.invalidValue'),
      ),
  });
  type Form = z.infer<typeof schema>;
  const form = useForm<Form>({ resolver: zodResolver(schema), defaultValues: { at: initialAt, value: '' } });
  const submit = useMutation({
    mutationFn: async (values: Form) => {
      const amount = values.value ? parseMajorUnits(values.value, purchase.currency) : null;
      return data(
        await buyersApi.POST('/v1/purchased-leads/{allocationId}/conversion', {
          params: { path: { allocationId: purchase.allocationId } },
          body: {
            // Left as it was (now), it is the moment of sending: the field's whole seconds could
            // fall before a lead bought a moment ago.
            at: values.at === initialAt ? new Date().toISOString() : new Date(values.at).toISOString(),
            ...(amount !== null ? { value: { amount, currency: purchase.currency } } : {}),
          },
        }),
      );
    },
    onSuccess: onDone,
    onError: (error) =>
      showFieldProblems(error, form.setError, {
        at: 'at',
        amount: 'value',
        value: 'value',
        currency: 'value',
      }),
  });
  const errors = form.formState.errors;
  return (
    <form onSubmit={form.handleSubmit((values) => submit.mutate(values))} noValidate>
      <Stack>
        <TextInput
          type="datetime-local"
          step={1}
          label={t('purchases.conversionForm.at')}
          required
          error={errors.at?.message}
          {...form.register('at')}
        />
        <TextInput
          label={t('purchases.conversionForm.value', { currency: purchase.currency })}
          inputMode="decimal"
          error={errors.value?.message}
          {...form.register('value')}
        />
        {submit.isError && <ProblemAlert error={submit.error} />}
        <Group justify="flex-end">
          <Button type="submit" loading={submit.isPending}>
            {t('purchases.conversionForm.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

import { Button, Group, NumberInput, Paper, Stack, TextInput } from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { data, settlementApi } from '../../api/client';
import { toApiProblem } from '../../api/problem';
import type { SettlementAnswer } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { SectionTitle } from '../../components/Headings';

export type MarketSettings = SettlementAnswer<'MarketSettingsController_get'>;

/**
 * The settings a market may leave unset (the exchange's default then applies). Settings are
 * published whole: each one set before is sent again, or publishing would unset it.
 */
const OPTIONAL_SETTINGS = [
  'returnCapPercent',
  'consentMaxAgeDays',
  'pingTtlSeconds',
  'authenticitySamplePercent',
  'authenticitySampleMin',
  'authenticityHoldPercent',
] as const;
type OptionalSetting = (typeof OPTIONAL_SETTINGS)[number];

function optionalSettings(values: Partial<Record<OptionalSetting, number>>) {
  return Object.fromEntries(
    OPTIONAL_SETTINGS.filter((name) => values[name] !== undefined).map((name) => [name, values[name]]),
  ) as Partial<Record<OptionalSetting, number>>;
}

/** The form that opens a market (a new vertical) or publishes new settings for one. */
export function MarketSettingsForm({
  vertical,
  current,
  onSaved,
}: {
  /** Given: the market's settings are changed; absent: a market is opened. */
  vertical?: string;
  current?: MarketSettings;
  onSaved?: (settings: MarketSettings) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const schema = useMemo(() => {
    const whole = (min: number, max: number) =>
      z
        .number({ error: t('operator.markets.numberRequired') })
        .int(t('operator.markets.wholeNumber'))
        .min(min, t('operator.markets.between', { min, max }))
        .max(max, t('operator.markets.between', { min, max }));
    return z.object({
      vertical: z
        .string()
        .trim()
        .regex(/^[a-z][a-z0-9_]{0,39}$/, t('operator.markets.verticalInvalid')),
      currency: z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{3}$/, t('operator.markets.currencyInvalid')),
      commissionPercent: z
        .number({ error: t('operator.markets.numberRequired') })
        .min(0, t('operator.markets.between', { min: 0, max: 100 }))
        .max(100, t('operator.markets.between', { min: 0, max: 100 }))
        .refine(
          (value) => Math.abs(value * 100 - Math.round(value * 100)) < 1e-6,
          t('operator.markets.twoDecimals'),
        ),
      returnWindowHours: whole(1, 24 * 90),
      dedupeWindowDays: whole(0, 3650),
      listingLifetimeHours: whole(1, 24 * 365),
      returnCapPercent: whole(0, 100).optional(),
      consentMaxAgeDays: whole(1, 3650).optional(),
      pingTtlSeconds: whole(1, 300).optional(),
      authenticitySamplePercent: whole(0, 100).optional(),
      authenticitySampleMin: whole(0, 1000).optional(),
      authenticityHoldPercent: whole(0, 100).optional(),
    });
  }, [t]);
  type Form = z.infer<typeof schema>;
  const form = useForm<Form>({
    resolver: zodResolver(schema),
    defaultValues: {
      vertical: vertical ?? '',
      currency: current?.currency ?? '',
      commissionPercent: (current?.commissionBps ?? 1500) / 100,
      returnWindowHours: current?.returnWindowHours ?? 72,
      dedupeWindowDays: current?.dedupeWindowDays ?? 30,
      listingLifetimeHours: current?.listingLifetimeHours ?? 72,
      returnCapPercent: current?.returnCapPercent,
      consentMaxAgeDays: current?.consentMaxAgeDays,
      pingTtlSeconds: current?.pingTtlSeconds,
      authenticitySamplePercent: current?.authenticitySamplePercent,
      authenticitySampleMin: current?.authenticitySampleMin,
      authenticityHoldPercent: current?.authenticityHoldPercent,
    },
  });
  const save = useMutation({
    mutationFn: async (values: Form) =>
      data(
        await settlementApi.POST('/v1/markets/{vertical}/settings', {
          params: { path: { vertical: values.vertical } },
          body: {
            currency: values.currency,
            commissionBps: Math.round(values.commissionPercent * 100),
            returnWindowHours: values.returnWindowHours,
            dedupeWindowDays: values.dedupeWindowDays,
            listingLifetimeHours: values.listingLifetimeHours,
            ...optionalSettings(values),
          },
        }),
      ),
    onSuccess: (settings) => {
      void queryClient.invalidateQueries({ queryKey: ['operator', 'markets'] });
      if (!vertical) form.reset({ ...form.getValues(), vertical: '' });
      onSaved?.(settings);
    },
    onError: (error) => {
      const problem = toApiProblem(error);
      const fields: [keyof Form, string][] = [
        ['vertical', 'vertical'],
        ['currency', 'currency'],
        ['commissionPercent', 'commissionBps'],
        ['returnWindowHours', 'returnWindowHours'],
        ['dedupeWindowDays', 'dedupeWindowDays'],
        ['listingLifetimeHours', 'listingLifetimeHours'],
        ...OPTIONAL_SETTINGS.map((name) => [name, name] as [keyof Form, string]),
      ];
      for (const [field, name] of fields) {
        const messages = problem.fieldMessages(name);
        if (messages.length > 0) form.setError(field, { type: 'server', message: messages.join('; ') });
      }
    },
  });
  const errors = form.formState.errors;
  const number = (name: Exclude<keyof Form, 'vertical' | 'currency'>, label: string, extra: object = {}) => (
    <Controller
      control={form.control}
      name={name}
      render={({ field }) => (
        <NumberInput
          label={label}
          value={field.value ?? ''}
          onChange={(value) => field.onChange(value === '' ? undefined : Number(value))}
          onBlur={field.onBlur}
          error={errors[name]?.message}
          allowNegative={false}
          miw={160}
          {...extra}
        />
      )}
    />
  );

  return (
    <Paper withBorder p="md">
      <form onSubmit={form.handleSubmit((values) => save.mutate(values))} noValidate>
        <Stack>
          <SectionTitle>
            {vertical ? t('operator.markets.changeTitle') : t('operator.markets.openTitle')}
          </SectionTitle>
          <Group align="flex-start" grow preventGrowOverflow={false} wrap="wrap">
            {!vertical && (
              <TextInput
                label={t('operator.markets.vertical')}
                description={t('operator.markets.verticalHint')}
                {...form.register('vertical')}
                error={errors.vertical?.message}
                required
                miw={200}
              />
            )}
            <TextInput
              label={t('operator.markets.currency')}
              description={t('operator.markets.currencyHint')}
              {...form.register('currency')}
              error={errors.currency?.message}
              required
              maxLength={3}
              miw={120}
            />
            {number('commissionPercent', t('operator.markets.commission'), { decimalScale: 2, suffix: ' %' })}
          </Group>
          <Group align="flex-start" grow preventGrowOverflow={false} wrap="wrap">
            {number('returnWindowHours', t('operator.markets.returnWindowHours'), { allowDecimal: false })}
            {number('dedupeWindowDays', t('operator.markets.dedupeWindowDays'), { allowDecimal: false })}
            {number('listingLifetimeHours', t('operator.markets.listingLifetimeHours'), {
              allowDecimal: false,
            })}
            {number('returnCapPercent', t('operator.markets.returnCapPercent'), {
              allowDecimal: false,
              description: t('operator.markets.optional'),
            })}
            {number('consentMaxAgeDays', t('operator.markets.consentMaxAgeDays'), {
              allowDecimal: false,
              description: t('operator.markets.consentMaxAgeHint'),
            })}
            {number('pingTtlSeconds', t('operator.markets.pingTtlSeconds'), {
              allowDecimal: false,
              description: t('operator.markets.pingTtlHint'),
            })}
          </Group>
          <Group align="flex-start" grow preventGrowOverflow={false} wrap="wrap">
            {number('authenticitySamplePercent', t('operator.markets.authenticitySamplePercent'), {
              allowDecimal: false,
              description: t('operator.markets.authenticitySampleHint'),
            })}
            {number('authenticitySampleMin', t('operator.markets.authenticitySampleMin'), {
              allowDecimal: false,
              description: t('operator.markets.authenticitySampleMinHint'),
            })}
            {number('authenticityHoldPercent', t('operator.markets.authenticityHoldPercent'), {
              allowDecimal: false,
              description: t('operator.markets.authenticityHoldHint'),
            })}
          </Group>
          <Group>
            <Button type="submit" loading={save.isPending}>
              {vertical ? t('operator.markets.publish') : t('operator.markets.open')}
            </Button>
          </Group>
          {save.isError && <ProblemAlert error={save.error} />}
        </Stack>
      </form>
    </Paper>
  );
}

import { ActionIcon, Button, Checkbox, Fieldset, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMemo } from 'react';
import { Controller, useFieldArray, useWatch, type FieldError, type UseFormReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useErrorText } from './OrderFields';
import type { OrderFormValues } from './order-form';
import { EMPTY_WINDOW, timeZoneChoices, WEEKDAYS } from './schedule-and-sources';

type Form = UseFormReturn<OrderFormValues>;

/**
 * The order's delivery schedule: the time zone (the browser's by default) and weekly windows, each
 * some days from one local hour to another. Without windows the order buys at any time.
 */
export function ScheduleFields({ form }: { form: Form }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { register, formState, control } = form;
  const errors = formState.errors;
  const windows = useFieldArray({ control, name: 'windows' });
  const timeZone = useWatch({ control, name: 'timeZone' });
  const zones = useMemo(() => timeZoneChoices(timeZone), [timeZone]);
  const windowsError = (errors.windows?.message ? errors.windows : errors.windows?.root) as
    FieldError | undefined;
  return (
    <Fieldset legend={t('buyer.builder.schedule')}>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('buyer.builder.scheduleHint')}
        </Text>
        <Controller
          control={control}
          name="timeZone"
          render={({ field, fieldState }) => (
            <Select
              label={t('buyer.builder.timeZone')}
              description={t('buyer.builder.timeZoneHint')}
              data={zones}
              value={field.value}
              onChange={(value) => value && field.onChange(value)}
              onBlur={field.onBlur}
              error={errorText(fieldState.error)}
              searchable
              allowDeselect={false}
              limit={50}
              maw={360}
            />
          )}
        />
        {windows.fields.length === 0 && (
          <Text size="sm" data-testid="schedule-none">
            {t('buyer.builder.noWindows')}
          </Text>
        )}
        {windows.fields.map((row, index) => {
          const number = index + 1;
          const rowErrors = errors.windows?.[index];
          return (
            <Stack
              key={row.id}
              gap={6}
              p="xs"
              style={{ border: '1px solid var(--mantine-color-gray-4)', borderRadius: 4 }}
            >
              <Controller
                control={control}
                name={`windows.${index}.days`}
                render={({ field, fieldState }) => (
                  <Checkbox.Group
                    label={t('buyer.builder.windowDays', { number })}
                    value={field.value}
                    onChange={field.onChange}
                    error={errorText(
                      fieldState.error ?? (rowErrors?.message ? (rowErrors as FieldError) : undefined),
                    )}
                  >
                    <Group gap="sm" mt={6}>
                      {WEEKDAYS.map((day) => (
                        <Checkbox key={day} value={day} label={t(`buyer.weekday.${day}`)} />
                      ))}
                    </Group>
                  </Checkbox.Group>
                )}
              />
              <Group align="flex-start" gap="xs" wrap="wrap">
                <TextInput
                  label={t('buyer.builder.windowFrom', { number })}
                  placeholder="09:00"
                  inputMode="numeric"
                  {...register(`windows.${index}.from`)}
                  error={errorText(rowErrors?.from)}
                  w={{ base: '100%', sm: 170 }}
                />
                <TextInput
                  label={t('buyer.builder.windowTo', { number })}
                  placeholder="18:00"
                  inputMode="numeric"
                  {...register(`windows.${index}.to`)}
                  error={errorText(rowErrors?.to)}
                  w={{ base: '100%', sm: 170 }}
                />
                <ActionIcon
                  variant="subtle"
                  color="red.9"
                  mt={{ base: 0, sm: 28 }}
                  aria-label={t('buyer.builder.removeWindow', { number })}
                  onClick={() => windows.remove(index)}
                >
                  ×
                </ActionIcon>
              </Group>
            </Stack>
          );
        })}
        <Text size="xs" c="dimmed">
          {t('buyer.builder.windowHint')}
        </Text>
        {windowsError && (
          <Text c="red.9" size="sm" role="alert">
            {errorText(windowsError)}
          </Text>
        )}
        <Group>
          <Button variant="light" size="xs" onClick={() => windows.append({ ...EMPTY_WINDOW })}>
            {t('buyer.builder.addWindow')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}

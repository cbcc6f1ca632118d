import { ActionIcon, Button, Checkbox, Fieldset, Group, Stack, Text, TextInput } from '@mantine/core';
import { useFieldArray, type FieldError, type UseFormReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { useErrorText } from './OrderFields';
import type { OrderFormValues } from './order-form';
import { EMPTY_SOURCE } from './schedule-and-sources';

type Form = UseFormReturn<OrderFormValues>;

/** One list of sources (included or excluded): a row per {seller?, source, sub-source?}. */
function SourceList({ form, name }: { form: Form; name: 'sourcesIncluded' | 'sourcesExcluded' }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { register, formState, control } = form;
  const entries = useFieldArray({ control, name });
  const errors = formState.errors[name];
  const listError = (errors?.message ? errors : errors?.root) as FieldError | undefined;
  const list = t(`buyer.builder.${name}`);
  return (
    <Stack gap={6}>
      <Text fw={500} size="sm">
        {list}
      </Text>
      <Text size="xs" c="dimmed">
        {t(`buyer.builder.${name}Hint`)}
      </Text>
      {entries.fields.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('buyer.builder.noSources')}
        </Text>
      )}
      {entries.fields.map((row, index) => {
        const number = index + 1;
        const rowErrors = errors?.[index];
        const labels = { list, number };
        return (
          <Group key={row.id} align="flex-start" gap="xs" wrap="wrap">
            <TextInput
              label={t('buyer.builder.sourceTag', labels)}
              {...register(`${name}.${index}.source`)}
              error={errorText(
                rowErrors?.source ?? (rowErrors?.message ? (rowErrors as FieldError) : undefined),
              )}
              w={{ base: '100%', sm: 190 }}
            />
            <TextInput
              label={t('buyer.builder.subSourceTag', labels)}
              description={t('buyer.builder.optional')}
              {...register(`${name}.${index}.subSource`)}
              error={errorText(rowErrors?.subSource)}
              w={{ base: '100%', sm: 190 }}
            />
            <TextInput
              label={t('buyer.builder.sourceSeller', labels)}
              description={t('buyer.builder.sourceSellerHint')}
              {...register(`${name}.${index}.sellerId`)}
              error={errorText(rowErrors?.sellerId)}
              w={{ base: '100%', sm: 300 }}
            />
            <ActionIcon
              variant="subtle"
              color="red.9"
              mt={{ base: 0, sm: 28 }}
              aria-label={t('buyer.builder.removeSource', labels)}
              onClick={() => entries.remove(index)}
            >
              ×
            </ActionIcon>
          </Group>
        );
      })}
      {listError && (
        <Text c="red.9" size="sm" role="alert">
          {errorText(listError)}
        </Text>
      )}
      <Group>
        <Button variant="light" size="xs" onClick={() => entries.append({ ...EMPTY_SOURCE })}>
          {t(
            name === 'sourcesIncluded'
              ? 'buyer.builder.addIncludedSource'
              : 'buyer.builder.addExcludedSource',
          )}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * The sellers' sources an order takes or refuses (docs/architecture.md §4.2: each seller's own
 * tags, so an entry may name the seller) and whether it takes only sample-verified batches (§4.1).
 */
export function SourceFilterFields({ form }: { form: Form }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  return (
    <Fieldset legend={t('buyer.builder.sourcesAndTrust')}>
      <Stack gap="sm">
        <SourceList form={form} name="sourcesIncluded" />
        <SourceList form={form} name="sourcesExcluded" />
        <Checkbox
          label={t('buyer.builder.requireSampleVerified')}
          description={t('buyer.builder.requireSampleVerifiedHint')}
          {...form.register('requireSampleVerified')}
          error={errorText(form.formState.errors.requireSampleVerified)}
        />
      </Stack>
    </Fieldset>
  );
}

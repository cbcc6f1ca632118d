import {
  ActionIcon,
  Anchor,
  Button,
  Checkbox,
  Fieldset,
  Group,
  NativeSelect,
  Radio,
  SimpleGrid,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { Controller, useFieldArray, useWatch, type FieldError, type UseFormReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { formatMoney, parseMajorUnits, toMajorUnitsText } from '../../../format/format';
import { useLocale } from '../../../i18n/use-locale';
import {
  CONTACTS,
  DELIVERIES,
  EMPLOYMENTS,
  EXCLUSIVITIES,
  GENDERS,
  MARITAL,
  MODIFIER_ATTRIBUTES,
  STAGES,
  type OrderFormValues,
} from './order-form';

type Form = UseFormReturn<OrderFormValues>;

/** The text of a field's error: our own messages are keys, the exchange's are shown as it sent them. */
export function useErrorText() {
  const { t } = useTranslation();
  return (error: FieldError | undefined) =>
    error?.message ? (error.type === 'server' ? error.message : t(error.message)) : undefined;
}

/**
 * A set of choices as labelled checkboxes (keyboard usable, one group label): the label is
 * buyer.builder.<name>, each option's buyer.<optionKeys>.<option> (the option itself without keys).
 */
function ChoiceGroup({
  form,
  name,
  options,
  optionKeys,
}: {
  form: Form;
  name: 'genders' | 'requiredContacts' | 'employment' | 'maritalStatus' | 'stages';
  options: readonly string[];
  optionKeys?: 'gender' | 'contact' | 'employment' | 'marital';
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const label = t(`buyer.builder.${name}`);
  const optionLabel = (option: string) => (optionKeys ? t(`buyer.${optionKeys}.${option}`) : option);
  return (
    <Controller
      control={form.control}
      name={name}
      render={({ field, fieldState }) => (
        <Checkbox.Group
          label={label}
          value={field.value}
          onChange={field.onChange}
          error={errorText(fieldState.error)}
        >
          <Group gap="md" mt={6}>
            {options.map((option) => (
              <Checkbox key={option} value={option} label={optionLabel(option)} />
            ))}
          </Group>
        </Checkbox.Group>
      )}
    />
  );
}

/** Codes typed one by one (Enter or comma after each); labelled buyer.builder.<name>, described by buyer.builder.<hint>. */
function CodesInput({
  form,
  name,
  hint,
  upperCase,
}: {
  form: Form;
  name: 'countries' | 'regions' | 'postalPrefixes' | 'interestsAny' | 'interestsAll' | 'sourceChannels';
  hint: 'countriesHint' | 'regionsHint' | 'postalPrefixesHint' | 'interestsHint' | 'sourceChannelsHint';
  upperCase?: boolean;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const label = t(`buyer.builder.${name}`);
  const description = t(`buyer.builder.${hint}`);
  return (
    <Controller
      control={form.control}
      name={name}
      render={({ field, fieldState }) => (
        <TagsInput
          label={label}
          description={description}
          value={field.value}
          onChange={(values) =>
            field.onChange(values.map((value) => (upperCase ? value.trim().toUpperCase() : value.trim())))
          }
          onBlur={field.onBlur}
          error={errorText(fieldState.error)}
          clearable
          acceptValueOnBlur
        />
      )}
    />
  );
}

/** Every filter the buyers API takes on an order. */
export function FilterFields({ form, withVertical }: { form: Form; withVertical: boolean }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const { register, formState } = form;
  const errors = formState.errors;
  return (
    <Fieldset legend={t('buyer.builder.filters')}>
      <Stack gap="sm">
        {withVertical && (
          <TextInput
            label={t('buyer.builder.vertical')}
            description={t('buyer.builder.verticalHint')}
            {...register('vertical')}
            error={errorText(errors.vertical)}
            maw={320}
          />
        )}
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <TextInput
            label={t('buyer.builder.ageMin')}
            inputMode="numeric"
            {...register('ageMin')}
            error={errorText(errors.ageMin)}
          />
          <TextInput
            label={t('buyer.builder.ageMax')}
            inputMode="numeric"
            {...register('ageMax')}
            error={errorText(errors.ageMax)}
          />
        </SimpleGrid>
        <ChoiceGroup form={form} name="genders" options={GENDERS} optionKeys="gender" />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <CodesInput form={form} name="countries" hint="countriesHint" upperCase />
          <CodesInput form={form} name="regions" hint="regionsHint" upperCase />
        </SimpleGrid>
        <CodesInput form={form} name="postalPrefixes" hint="postalPrefixesHint" upperCase />
        <ChoiceGroup form={form} name="requiredContacts" options={CONTACTS} optionKeys="contact" />
        <Checkbox
          label={t('buyer.builder.requireVerified')}
          {...register('requireVerified')}
          error={errorText(errors.requireVerified)}
        />
        <ChoiceGroup form={form} name="employment" options={EMPLOYMENTS} optionKeys="employment" />
        <ChoiceGroup form={form} name="maritalStatus" options={MARITAL} optionKeys="marital" />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <CodesInput form={form} name="interestsAny" hint="interestsHint" />
          <CodesInput form={form} name="interestsAll" hint="interestsHint" />
        </SimpleGrid>
        <ChoiceGroup form={form} name="stages" options={STAGES} />
        <CodesInput form={form} name="sourceChannels" hint="sourceChannelsHint" />
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <TextInput
            label={t('buyer.builder.maxLeadAgeMinutes')}
            description={t('buyer.builder.maxLeadAgeHint')}
            inputMode="numeric"
            {...register('maxLeadAgeMinutes')}
            error={errorText(errors.maxLeadAgeMinutes)}
          />
          <TextInput
            label={t('buyer.builder.minQuality')}
            inputMode="numeric"
            {...register('minQuality')}
            error={errorText(errors.minQuality)}
          />
          <TextInput
            label={t('buyer.builder.minSellerQuality')}
            inputMode="numeric"
            {...register('minSellerQuality')}
            error={errorText(errors.minSellerQuality)}
          />
        </SimpleGrid>
      </Stack>
    </Fieldset>
  );
}

/** Bid, modifiers, quantity, budget, caps, exclusivity, expiry and delivery. */
export function PriceFields({
  form,
  currency,
  currencyLabel = currency,
}: {
  form: Form;
  /** The currency amounts are read in. */
  currency: string;
  /** The currency named in the labels. */
  currencyLabel?: string;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const errorText = useErrorText();
  const { register, formState, control } = form;
  const errors = formState.errors;
  const modifiers = useFieldArray({ control, name: 'modifiers' });
  const [bid, maxBid, quantity] = useWatch({ control, name: ['bid', 'maxBid', 'quantity'] });
  const perLead = parseMajorUnits(maxBid, currency) ?? parseMajorUnits(bid, currency);
  const suggestion =
    perLead !== null && /^\d+$/.test(quantity.trim()) && Number(quantity) > 0
      ? perLead * Number(quantity)
      : null;
  const money = { currency: currencyLabel };
  return (
    <Fieldset legend={t('buyer.builder.price')}>
      <Stack gap="sm">
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('buyer.builder.bid', money)}
            inputMode="decimal"
            {...register('bid')}
            error={errorText(errors.bid)}
          />
          <TextInput
            label={t('buyer.builder.maxBid', money)}
            description={t('buyer.builder.maxBidHint')}
            inputMode="decimal"
            {...register('maxBid')}
            error={errorText(errors.maxBid)}
          />
        </SimpleGrid>
        <Stack gap={6}>
          <Text fw={500} size="sm">
            {t('buyer.builder.modifiers')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('buyer.builder.modifiersHint')}
          </Text>
          {modifiers.fields.length === 0 && (
            <Text size="sm" c="dimmed">
              {t('buyer.builder.noModifiers')}
            </Text>
          )}
          {modifiers.fields.map((row, index) => {
            const number = index + 1;
            const rowErrors = errors.modifiers?.[index];
            return (
              <Group key={row.id} align="flex-start" gap="xs" wrap="wrap">
                <NativeSelect
                  label={t('buyer.builder.modifierAttribute', { number })}
                  data={MODIFIER_ATTRIBUTES.map((attribute) => ({
                    value: attribute,
                    label: t(`buyer.attribute.${attribute}`),
                  }))}
                  {...register(`modifiers.${index}.attribute`)}
                  w={{ base: '100%', sm: 180 }}
                />
                <TextInput
                  label={t('buyer.builder.modifierValues', { number })}
                  description={t('buyer.builder.modifierValuesHint')}
                  {...register(`modifiers.${index}.values`)}
                  error={errorText(rowErrors?.values)}
                  w={{ base: '100%', sm: 260 }}
                />
                <TextInput
                  label={t('buyer.builder.modifierAdd', { currency: currencyLabel, number })}
                  inputMode="decimal"
                  {...register(`modifiers.${index}.add`)}
                  error={errorText(rowErrors?.add)}
                  w={{ base: '100%', sm: 200 }}
                />
                <ActionIcon
                  variant="subtle"
                  color="red.9"
                  mt={{ base: 0, sm: 28 }}
                  aria-label={t('buyer.builder.removeModifier', { number })}
                  onClick={() => modifiers.remove(index)}
                >
                  ×
                </ActionIcon>
              </Group>
            );
          })}
          {errors.modifiers?.message && (
            <Text c="red.9" size="sm" role="alert">
              {errorText(errors.modifiers as FieldError)}
            </Text>
          )}
          <Group>
            <Button
              variant="light"
              size="xs"
              onClick={() => modifiers.append({ attribute: 'employment', values: '', add: '' })}
            >
              {t('buyer.builder.addModifier')}
            </Button>
          </Group>
        </Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            label={t('buyer.builder.quantity')}
            inputMode="numeric"
            {...register('quantity')}
            error={errorText(errors.quantity)}
          />
          <TextInput
            label={t('buyer.builder.budget', money)}
            description={
              suggestion !== null ? (
                <>
                  {t('buyer.builder.budgetSuggestion', {
                    amount: formatMoney(suggestion, currency, locale),
                  })}{' '}
                  <Anchor
                    component="button"
                    type="button"
                    size="xs"
                    onClick={() =>
                      form.setValue('budget', toMajorUnitsText(suggestion, currency), {
                        shouldValidate: true,
                      })
                    }
                  >
                    {t('buyer.builder.useSuggestion')}
                  </Anchor>
                </>
              ) : (
                t('buyer.builder.budgetHint')
              )
            }
            inputMode="decimal"
            {...register('budget')}
            error={errorText(errors.budget)}
          />
          <TextInput
            label={t('buyer.builder.dailyCapCount')}
            inputMode="numeric"
            {...register('dailyCapCount')}
            error={errorText(errors.dailyCapCount)}
          />
          <TextInput
            label={t('buyer.builder.dailyCapSpend', money)}
            inputMode="decimal"
            {...register('dailyCapSpend')}
            error={errorText(errors.dailyCapSpend)}
          />
          <TextInput
            label={t('buyer.builder.hourlyCapCount')}
            description={t('buyer.builder.hourlyCapHint')}
            inputMode="numeric"
            {...register('hourlyCapCount')}
            error={errorText(errors.hourlyCapCount)}
          />
          <TextInput
            label={t('buyer.builder.hourlyCapSpend', money)}
            description={t('buyer.builder.hourlyCapHint')}
            inputMode="decimal"
            {...register('hourlyCapSpend')}
            error={errorText(errors.hourlyCapSpend)}
          />
        </SimpleGrid>
        <Controller
          control={control}
          name="exclusivity"
          render={({ field, fieldState }) => (
            <Radio.Group
              label={t('buyer.builder.exclusivity')}
              value={field.value}
              onChange={field.onChange}
              error={errorText(fieldState.error)}
            >
              <Group gap="md" mt={6}>
                {EXCLUSIVITIES.map((option) => (
                  <Radio key={option} value={option} label={t(`buyer.exclusivity.${option}`)} />
                ))}
              </Group>
            </Radio.Group>
          )}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput
            type="datetime-local"
            label={t('buyer.builder.expiresAt')}
            description={t('buyer.builder.expiresHint')}
            {...register('expiresAt')}
            error={errorText(errors.expiresAt)}
          />
          <NativeSelect
            label={t('buyer.builder.delivery')}
            data={DELIVERIES.map((option) => ({ value: option, label: t(`buyer.delivery.${option}`) }))}
            {...register('delivery')}
            error={errorText(errors.delivery)}
          />
        </SimpleGrid>
      </Stack>
    </Fieldset>
  );
}

import {
  Badge,
  Button,
  Group,
  Modal,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { data, sellersApi } from '../../api/client';
import { toApiProblem } from '../../api/problem';
import type { SellersAnswer } from '../../api/types';
import { useCursorList } from '../../api/use-cursor-list';
import { DataTable } from '../../components/DataTable';
import { PageTitle, SectionTitle } from '../../components/Headings';
import { Instant } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatNumber } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import { CONTACTS_PER_REQUEST, parseContacts, refusedLines } from './do-not-contact';
import { Notice } from './Notice';
import { showFieldProblems } from './shared';

export type DncList = SellersAnswer<'DoNotContactController_get'>;
const column = createColumnHelper<DncList>();
const STATUS_COLOR = { active: 'teal.9', expired: 'gray.8', ended: 'gray.8' } as const;
const LIVE_MS = 3000;

/** Adds pasted contacts to a list, 20 000 a request; a refused line is named by its number. */
function useAddContacts() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ listId, text, country }: { listId: string; text: string; country: string }) => {
      const { entries, lines } = parseContacts(text, country);
      let contacts = 0;
      for (let start = 0; start < entries.length; start += CONTACTS_PER_REQUEST) {
        try {
          const answer = data(
            await sellersApi.POST('/v1/do-not-contact-lists/{listId}/entries', {
              params: { path: { listId } },
              body: { entries: entries.slice(start, start + CONTACTS_PER_REQUEST) },
            }),
          );
          contacts += answer.contacts;
        } catch (error) {
          throw Object.assign(toApiProblem(error), {
            lines: refusedLines(toApiProblem(error).problem.errors ?? [], lines.slice(start)),
          });
        }
      }
      return { listId, contacts };
    },
    onSettled: () => void queryClient.invalidateQueries({ queryKey: ['operator', 'dnc'] }),
  });
}

/** The lines of the pasted text the exchange refused, each with its reason. */
function RefusedLines({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const lines = (error as { lines?: { line: number; messages: string[] }[] }).lines ?? [];
  if (lines.length === 0) return null;
  return (
    <Stack gap={2} role="alert" data-testid="refused-lines">
      {lines.slice(0, 20).map(({ line, messages }) => (
        <Text key={line} size="sm" c="red.9">
          {t('operator.dnc.refusedLine', { line, reason: messages.join('; ') })}
        </Text>
      ))}
    </Stack>
  );
}

/** The schema of the pasted contacts: every line a phone or an e-mail. */
function useContactsSchema(required: boolean) {
  const { t } = useTranslation();
  return useMemo(
    () => ({
      contacts: z.string().superRefine((text, context) => {
        const { entries, badLines } = parseContacts(text);
        if (badLines.length > 0)
          context.addIssue({
            code: 'custom',
            message: t('operator.dnc.badLines', { lines: badLines.slice(0, 10).join(', ') }),
          });
        else if (required && entries.length === 0)
          context.addIssue({ code: 'custom', message: t('operator.dnc.contactsRequired') });
      }),
      country: z
        .string()
        .trim()
        .regex(/^([A-Za-z]{2})?$/, t('operator.dnc.countryInvalid')),
    }),
    [t, required],
  );
}

/** The contacts textarea and the country phones without a country code are read in. */
function ContactsFields({
  form,
  errors,
}: {
  form: { register: (name: 'contacts' | 'country') => object };
  errors: { contacts?: { message?: string }; country?: { message?: string } };
}) {
  const { t } = useTranslation();
  return (
    <>
      <Textarea
        label={t('operator.dnc.contacts')}
        description={t('operator.dnc.contactsHint')}
        rows={6}
        {...form.register('contacts')}
        error={errors.contacts?.message}
      />
      <TextInput
        label={t('operator.dnc.country')}
        description={t('operator.dnc.countryHint')}
        maxLength={2}
        maw={260}
        {...form.register('country')}
        error={errors.country?.message}
      />
    </>
  );
}

/** Opens a list: name, scope (one market or every one), expiry, and the contacts pasted in. */
export function CreateListForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const contactsShape = useContactsSchema(false);
  const schema = useMemo(
    () =>
      z
        .object({
          name: z
            .string()
            .trim()
            .min(1, t('operator.dnc.nameRequired'))
            .max(200, t('operator.dnc.nameTooLong')),
          scope: z.enum(['market', 'global']),
          vertical: z.string().trim(),
          expiresAt: z
            .string()
            .refine((text) => text !== '' && new Date(text).getTime() > Date.now(), t('operator.dnc.future')),
          ...contactsShape,
        })
        .superRefine((values, context) => {
          if (values.scope === 'market' && !/^[a-z][a-z0-9_]{0,39}$/.test(values.vertical))
            context.addIssue({
              code: 'custom',
              path: ['vertical'],
              message: t('operator.markets.verticalInvalid'),
            });
        }),
    [t, contactsShape],
  );
  type Form = z.infer<typeof schema>;
  const form = useForm<Form>({
    resolver: zodResolver(schema),
    defaultValues: { name: '', scope: 'market', vertical: '', expiresAt: '', contacts: '', country: '' },
  });
  const scope = form.watch('scope');
  const add = useAddContacts();
  const create = useMutation({
    mutationFn: async (values: Form) =>
      data(
        await sellersApi.POST('/v1/do-not-contact-lists', {
          body: {
            name: values.name,
            vertical: values.scope === 'market' ? values.vertical : null,
            expiresAt: new Date(values.expiresAt).toISOString(),
          },
        }),
      ),
    onSuccess: (list, values) => {
      void queryClient.invalidateQueries({ queryKey: ['operator', 'dnc'] });
      if (values.contacts.trim() !== '')
        add.mutate({ listId: list.listId, text: values.contacts, country: values.country });
      form.reset({ ...form.getValues(), name: '', contacts: '' });
    },
    onError: (error) => showFieldProblems(error, form.setError, ['name', 'vertical', 'expiresAt']),
  });
  const errors = form.formState.errors;

  return (
    <Paper withBorder p="md">
      <form
        onSubmit={form.handleSubmit((values) => {
          add.reset();
          create.mutate(values);
        })}
        noValidate
        aria-label={t('operator.dnc.createTitle')}
      >
        <Stack>
          <SectionTitle>{t('operator.dnc.createTitle')}</SectionTitle>
          <Group align="flex-start" grow preventGrowOverflow={false} wrap="wrap">
            <TextInput
              label={t('operator.dnc.name')}
              description={t('operator.dnc.nameHint')}
              {...form.register('name')}
              error={errors.name?.message}
              required
              miw={240}
            />
            <TextInput
              type="datetime-local"
              label={t('operator.dnc.expiresAt')}
              description={t('operator.dnc.expiresHint')}
              {...form.register('expiresAt')}
              error={errors.expiresAt?.message}
              required
              miw={220}
            />
          </Group>
          <Stack gap={4}>
            <Text size="sm" fw={500} id="dnc-scope">
              {t('operator.dnc.scope')}
            </Text>
            <Controller
              control={form.control}
              name="scope"
              render={({ field }) => (
                <SegmentedControl
                  aria-labelledby="dnc-scope"
                  value={field.value}
                  onChange={field.onChange}
                  data={[
                    { value: 'market', label: t('operator.dnc.oneMarket') },
                    { value: 'global', label: t('operator.dnc.everyMarket') },
                  ]}
                  style={{ alignSelf: 'flex-start' }}
                />
              )}
            />
          </Stack>
          {scope === 'market' && (
            <TextInput
              label={t('operator.markets.vertical')}
              description={t('operator.markets.verticalHint')}
              {...form.register('vertical')}
              error={errors.vertical?.message}
              required
              maw={360}
            />
          )}
          <ContactsFields form={form} errors={errors} />
          <Group>
            <Button type="submit" loading={create.isPending || add.isPending}>
              {t('operator.dnc.create')}
            </Button>
          </Group>
          {create.isError && <ProblemAlert error={create.error} />}
          {create.data && (
            <Notice
              title={t('operator.dnc.created', { name: create.data.name })}
              tone={add.isError ? 'warning' : 'good'}
            >
              {add.isPending && t('operator.dnc.adding')}
              {add.data && t('operator.dnc.added', { count: add.data.contacts })}
              {add.isError && t('operator.dnc.createdEmpty')}
            </Notice>
          )}
          {add.isError && (
            <>
              <ProblemAlert error={add.error} />
              <RefusedLines error={add.error} />
            </>
          )}
        </Stack>
      </form>
    </Paper>
  );
}

/** Pastes more contacts into a list. */
export function AddContactsModal({ list, onClose }: { list: DncList; onClose: () => void }) {
  const { t } = useTranslation();
  const contactsShape = useContactsSchema(true);
  const schema = useMemo(() => z.object(contactsShape), [contactsShape]);
  type Form = z.infer<typeof schema>;
  const form = useForm<Form>({ resolver: zodResolver(schema), defaultValues: { contacts: '', country: '' } });
  const add = useAddContacts();
  return (
    <Modal
      opened
      onClose={onClose}
      title={t('operator.dnc.addTitle', { name: list.name })}
      size="lg"
      closeButtonProps={{ 'aria-label': t('operator.dnc.close') }}
    >
      <form
        onSubmit={form.handleSubmit((values) =>
          add.mutate({ listId: list.listId, text: values.contacts, country: values.country }),
        )}
        noValidate
      >
        <Stack>
          <ContactsFields form={form} errors={form.formState.errors} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('operator.dnc.close')}
            </Button>
            <Button type="submit" loading={add.isPending}>
              {t('operator.dnc.add')}
            </Button>
          </Group>
          {add.data && (
            <Notice title={t('operator.dnc.addedTitle')}>
              {t('operator.dnc.added', { count: add.data.contacts })}
            </Notice>
          )}
          {add.isError && (
            <>
              <ProblemAlert error={add.error} />
              <RefusedLines error={add.error} />
            </>
          )}
        </Stack>
      </form>
    </Modal>
  );
}

/** Ends a list before its expiry, after a confirmation. */
function EndListModal({ list, onClose }: { list: DncList; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const end = useMutation({
    mutationFn: async () =>
      data(
        await sellersApi.POST('/v1/do-not-contact-lists/{listId}/end', {
          params: { path: { listId: list.listId } },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['operator', 'dnc'] });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('operator.dnc.endTitle', { name: list.name })}>
      <Stack>
        <Text size="sm">{t('operator.dnc.endText')}</Text>
        {end.isError && <ProblemAlert error={end.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('operator.dnc.keep')}
          </Button>
          <Button color="red.9" loading={end.isPending} onClick={() => end.mutate()}>
            {t('operator.dnc.end')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** The do-not-contact lists: open one with its contacts, add to one, end one; their counts. */
export default function DoNotContactPage() {
  const { t } = useTranslation();
  const locale = useLocale();
  const [adding, setAdding] = useState<DncList | null>(null);
  const [ending, setEnding] = useState<DncList | null>(null);
  // Live: a list's counts come from the exchange's read model, a moment after a change is recorded.
  const lists = useCursorList<DncList>(
    ['operator', 'dnc'],
    async (cursor) =>
      data(await sellersApi.GET('/v1/do-not-contact-lists', { params: { query: { cursor, limit: 100 } } })),
    { refetchInterval: LIVE_MS },
  );
  const columns = [
    column.accessor('name', { header: t('operator.dnc.name') }),
    column.accessor('vertical', {
      header: t('operator.dnc.scope'),
      cell: (cell) => cell.getValue() ?? t('operator.dnc.everyMarket'),
    }),
    column.accessor('status', {
      header: t('operator.dnc.status'),
      cell: (cell) => (
        <Badge color={STATUS_COLOR[cell.getValue()]} variant="filled" style={{ minWidth: 'max-content' }}>
          {t(`operator.dnc.statuses.${cell.getValue()}`)}
        </Badge>
      ),
    }),
    column.accessor((list) => list.endedAt ?? list.expiresAt, {
      id: 'until',
      header: t('operator.dnc.until'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
    column.accessor('contacts', {
      header: t('operator.dnc.contactsCount'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    column.accessor('fingerprints', {
      header: t('operator.dnc.fingerprints'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    column.accessor('createdAt', {
      header: t('operator.dnc.createdAt'),
      cell: (cell) => <Instant iso={cell.getValue()} />,
    }),
    column.display({
      id: 'actions',
      header: t('operator.dnc.actions'),
      cell: (cell) =>
        cell.row.original.status === 'active' ? (
          <Group gap="xs" wrap="nowrap">
            <Button
              size="compact-sm"
              variant="light"
              onClick={() => setAdding(cell.row.original)}
              aria-label={t('operator.dnc.addTo', { name: cell.row.original.name })}
            >
              {t('operator.dnc.addShort')}
            </Button>
            <Button
              size="compact-sm"
              variant="outline"
              color="red.9"
              onClick={() => setEnding(cell.row.original)}
              aria-label={t('operator.dnc.endList', { name: cell.row.original.name })}
            >
              {t('operator.dnc.endShort')}
            </Button>
          </Group>
        ) : null,
    }),
  ];

  return (
    <Stack>
      <PageTitle>{t('operator.dnc.title')}</PageTitle>
      <Text c="dimmed" maw={760}>
        {t('operator.dnc.intro')}
      </Text>
      <CreateListForm />
      <SectionTitle>{t('operator.dnc.listTitle')}</SectionTitle>
      <QueryState
        query={lists.query}
        isEmpty={() => lists.items.length === 0}
        empty={t('operator.dnc.empty')}
      >
        {() => (
          <DataTable
            caption={t('operator.dnc.caption')}
            columns={columns}
            rows={lists.items}
            rowKey={(list) => list.listId}
            hasMore={lists.hasMore}
            loadingMore={lists.query.isFetchingNextPage}
            onLoadMore={lists.loadMore}
          />
        )}
      </QueryState>
      {adding && <AddContactsModal list={adding} onClose={() => setAdding(null)} />}
      {ending && <EndListModal list={ending} onClose={() => setEnding(null)} />}
    </Stack>
  );
}

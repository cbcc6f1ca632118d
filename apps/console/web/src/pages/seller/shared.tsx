import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Badge, Button, Group, Modal, Stack, Text, VisuallyHidden } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { data, download, settlementApi } from '../../api/client';
import { ApiProblem } from '../../api/problem';
import type { SellersAnswer, SettlementAnswer } from '../../api/types';
import { useMe } from '../../app/auth';
import { ProblemAlert } from '../../components/ProblemAlert';

export type Lead = SellersAnswer<'LeadsController_list'>['items'][number];

/** A rejection reason code in the reader's language (the code itself when the console does not know it). */
export function useReasonLabel() {
  const { t } = useTranslation();
  return (code: string) => t(`seller.reasons.${code}`, { defaultValue: code.replace(/_/g, ' ') });
}

/** What a rejection reason means, in the reader's language (the exchange's own words when the console does not know it). */
export function useReasonHelp() {
  const { t } = useTranslation();
  return (code: string, exchangeWords: string) =>
    t(`seller.reasonHelp.${code}`, { defaultValue: exchangeWords });
}

/** Rejected rows per reason, most frequent first, as a bar chart (and a list for screen readers). */
export function ReasonsChart({ reasons, title }: { reasons: Record<string, number>; title: string }) {
  const { t } = useTranslation();
  const label = useReasonLabel();
  const rows = Object.entries(reasons)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 8)
    .map(([code, count]) => ({ reason: label(code), rows: count }));
  if (rows.length === 0) return <Text c="dimmed">{t('seller.upload.noRejections')}</Text>;
  return (
    <Stack gap="xs">
      <Text fw={600}>{title}</Text>
      <BarChart
        h={Math.max(160, rows.length * 36)}
        data={rows}
        dataKey="reason"
        orientation="vertical"
        yAxisProps={{ width: 170 }}
        xAxisProps={{ allowDecimals: false }}
        series={[{ name: 'rows', label: t('seller.upload.rejected'), color: 'red.6' }]}
        barChartProps={{ accessibilityLayer: false }}
        aria-hidden
      />
      <VisuallyHidden component="ul">
        {rows.map((row) => (
          <li key={row.reason}>
            {row.reason}: {row.rows}
          </li>
        ))}
      </VisuallyHidden>
    </Stack>
  );
}

/** A lead's status as the seller reads it: listed, sold ×n, returned, withdrawn, erased, expired. */
export function LeadStatus({ lead }: { lead: Pick<Lead, 'status' | 'sales' | 'returned'> }) {
  const { t } = useTranslation();
  const color: Record<string, string> = {
    listed: 'blue',
    sold: 'green',
    withdrawn: 'gray',
    erased: 'dark',
    expired: 'yellow',
  };
  return (
    <Group gap={4} wrap="nowrap">
      <Badge color={color[lead.status] ?? 'gray'} c="dark.7" variant="light">
        {t(`seller.leadStatus.${lead.status}`, { defaultValue: lead.status })}
      </Badge>
      {lead.sales > 0 && (
        <Badge color="green" c="dark.7" variant="outline">
          {t('seller.leadStatus.soldTimes', { count: lead.sales })}
        </Badge>
      )}
      {lead.returned > 0 && (
        <Badge color="orange" c="dark.7" variant="outline">
          {t('seller.leadStatus.returnedTimes', { count: lead.returned })}
        </Badge>
      )}
    </Group>
  );
}

/** A button that asks before it acts, and shows what the exchange answered (or why it refused). */
export function ConfirmAction<T>({
  label,
  title,
  text,
  action,
  answered,
  disabled,
}: {
  label: string;
  title: string;
  text: string;
  action: () => Promise<T>;
  answered: (answer: T) => ReactNode;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const mutation = useMutation({ mutationFn: action, onSuccess: () => setOpened(false) });
  return (
    <Stack gap="xs" align="flex-start">
      <Button color="red" c="red.9" variant="light" onClick={() => setOpened(true)} disabled={disabled}>
        {label}
      </Button>
      {mutation.isSuccess && (
        <Text role="status" c="teal.9">
          {answered(mutation.data)}
        </Text>
      )}
      {mutation.isError && <ProblemAlert error={mutation.error} />}
      <Modal
        opened={opened}
        onClose={() => setOpened(false)}
        title={title}
        centered
        closeButtonProps={{ 'aria-label': t('actions.cancel') }}
      >
        <Stack>
          <Text>{text}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpened(false)}>
              {t('actions.cancel')}
            </Button>
            <Button color="red.9" loading={mutation.isPending} onClick={() => mutation.mutate()}>
              {t('actions.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** A figure with its label, for the dashboard and the statement. */
export function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={0}>
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {children}
      </Text>
    </Stack>
  );
}

export type Statement = SettlementAnswer<'StatementsController_seller'>;

/** The signed-in seller's statement per currency (settlement app; the seller is the key's participant). */
export function useSellerStatement() {
  const me = useMe();
  const sellerId = me.data?.participantId;
  return useQuery({
    queryKey: ['seller', 'statement', sellerId],
    enabled: sellerId !== undefined,
    queryFn: async () =>
      data(
        await settlementApi.GET('/v1/statements/sellers/{sellerId}', {
          params: { path: { sellerId: sellerId! }, query: { format: 'json' } },
        }),
      ) as Statement,
  });
}

/** How a lead is named on the seller's pages: the person, or the seller's own id once erased. */
export function leadName(lead: Pick<Lead, 'personalData'>, erased: string): string {
  const person = lead.personalData;
  if (!person) return erased;
  const name = [person.firstName, person.lastName].filter(Boolean).join(' ');
  return name || person.externalId;
}

/**
 * Puts the messages of a refused request next to the form fields they name (`fieldOf` maps the
 * API's field to the form's); returns the problem for the page's alert, without the field
 * messages once a field shows them, so that no message is shown twice.
 */
export function placeFieldMessages<F extends FieldValues>(
  refused: ApiProblem,
  fieldOf: Record<string, Path<F>>,
  setError: UseFormSetError<F>,
): ApiProblem {
  let named = false;
  for (const [apiField, formField] of Object.entries(fieldOf)) {
    const messages = refused.fieldMessages(apiField);
    if (messages.length > 0) {
      named = true;
      setError(formField, { type: 'server', message: messages.join(' ') });
    }
  }
  return named ? new ApiProblem({ ...refused.problem, errors: undefined }) : refused;
}

/** Saves one of the seller's CSV files (`start`), keeping what went wrong with the last try for the page to show. */
export function useCsvDownload(app: 'sellers' | 'settlement') {
  const [error, setError] = useState<unknown>(null);
  const start = (path: string, filename: string) => {
    setError(null);
    download(app, path, filename).catch(setError);
  };
  return { error, start };
}

/** The button every seller page downloads its CSV with. */
export function DownloadCsvButton({ onClick, disabled }: { onClick: () => void; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <Button variant="light" disabled={disabled} onClick={onClick}>
      {t('actions.downloadCsv')}
    </Button>
  );
}

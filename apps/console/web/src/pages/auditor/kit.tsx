import { Badge, Box, Button, Code, Group, List, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { Anchor } from '@mantine/core';
import { data, settlementApi } from '../../api/client';
import type { SettlementAnswer } from '../../api/types';
import { Instant, Money } from '../../components/Money';
import { ProblemAlert } from '../../components/ProblemAlert';
import { formatNumber } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';
import './auditor.css';

/* What the auditor's pages share: readable event data, raw JSON a click away, JSON downloads, the search box. */

export type SearchMatch = SettlementAnswer<'AuditController_search'>['items'][number];
export type EntityKind = SearchMatch['kind'];

/** Fields that hold money (integer minor units) wherever they appear in event data. */
const MONEY_FIELDS = new Set([
  'amount',
  'price',
  'commission',
  'proceeds',
  'floor',
  'bid',
  'budget',
  'effectiveBid',
  'spent',
  'spentBefore',
  'budgetLeft',
  'released',
  'value',
  'refund',
  'deposit',
  'balance',
  'gross',
]);

/** Fields of event data that hold an entity's id: shown as links to its history (participants by name). */
const ID_FIELDS: Record<string, EntityKind> = {
  pingId: 'ping',
  listId: 'doNotContactList',
  leadId: 'lead',
  orderId: 'order',
  allocationId: 'allocation',
  batchId: 'batch',
  payoutId: 'payout',
  buyerId: 'participant',
  sellerId: 'participant',
  participantId: 'participant',
  decidedBy: 'participant',
  escalatedBy: 'participant',
  auditorId: 'participant',
};

/** Participants' names by id, as the APIs answer them beside the data. */
export type Names = Record<string, string>;

/** Texts the exchange shows instead of personal data it erased or keeps sealed. */
const ERASED = '(erased)';
const SEALED = "(sealed under the lead's key, not shown)";

/** A field name as a person reads it: `effectiveBid` → `effective bid`. */
export function humanize(field: string): string {
  return field
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
}

/**
 * An entity kind as a person reads it: its text, or, for a kind this console does not know yet
 * (a newer exchange), the kind's name in words rather than a text key.
 */
export function kindLabel(
  t: (key: string, options: { defaultValue: string }) => string,
  kind: string,
): string {
  return t(`auditor.kind.${kind}`, { defaultValue: humanize(kind) });
}

/** The first currency named anywhere in a value (event data carries it where money is). */
export function currencyIn(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = currencyIn(item);
      if (found) return found;
    }
    return undefined;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.currency === 'string' && /^[A-Z]{3}$/.test(record.currency)) return record.currency;
  for (const item of Object.values(record)) {
    const found = currencyIn(item);
    if (found) return found;
  }
  return undefined;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** One value of event data, readable: money in major units, instants in local time, erased data marked. */
function FieldValue({
  field,
  value,
  currency,
  names,
}: {
  field: string;
  value: unknown;
  currency?: string;
  names?: Names;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (value === null || value === undefined) return <>—</>;
  if (value === ERASED) return <Tag tone="neutral">{t('auditor.data.erased')}</Tag>;
  if (value === SEALED || value === '(encrypted envelope, not shown)')
    return <Tag tone="neutral">{t('auditor.data.sealed')}</Tag>;
  if (field === 'personalData' && typeof value === 'object')
    return <Tag tone="neutral">{t('auditor.data.sealed')}</Tag>;
  if (typeof value === 'number') {
    if (MONEY_FIELDS.has(field) && Number.isInteger(value))
      return currency ? (
        <Money minor={value} currency={currency} />
      ) : (
        <>{t('auditor.data.minorUnits', { value: formatNumber(value, locale) })}</>
      );
    return <>{formatNumber(value, locale)}</>;
  }
  if (typeof value === 'boolean') return <>{value ? t('auditor.data.yes') : t('auditor.data.no')}</>;
  if (typeof value === 'string') {
    const kind = ID_FIELDS[field];
    if (kind === 'participant' && value === 'system') return <>{t('auditor.actor.system')}</>;
    if (kind)
      return (
        <EntityLink kind={kind} id={value}>
          {names?.[value] ?? value}
        </EntityLink>
      );
    if (field === 'reason' && /^[a-z_]+$/.test(value))
      return <>{t(`auditor.reason.${value}`, { defaultValue: value })}</>;
    if (ISO_INSTANT.test(value)) return <Instant iso={value} />;
    return <span style={{ overflowWrap: 'anywhere' }}>{value}</span>;
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return <>{t('auditor.data.none')}</>;
    return (
      <List size="sm" spacing={4}>
        {value.map((item, index) => (
          <List.Item key={index}>
            <FieldValue field={field} value={item} currency={currency} names={names} />
          </List.Item>
        ))}
      </List>
    );
  }
  return <FieldList data={value} currency={currency} names={names} nested />;
}

/** Event data as a definition list of its fields (nested objects as nested lists). */
export function FieldList({
  data: value,
  currency,
  names,
  nested,
}: {
  data: unknown;
  currency?: string;
  names?: Names;
  nested?: boolean;
}) {
  const { t } = useTranslation();
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return <FieldValue field="" value={value} currency={currency} names={names} />;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return <Text size="sm">{t('auditor.data.none')}</Text>;
  const own = currencyIn(value) ?? currency;
  return (
    <dl className={nested ? 'lx-fields lx-fields-nested' : 'lx-fields'}>
      {entries.map(([field, item]) => (
        <div key={field} className="lx-field">
          <dt>
            {field === 'position' && typeof item === 'string' && /^\d+\/\d+$/.test(item)
              ? t('auditor.data.logPosition')
              : ID_FIELDS[field] === 'participant'
                ? humanize(field).replace(/ id$/, '')
                : humanize(field)}
          </dt>
          <dd>
            <FieldValue field={field} value={item} currency={own} names={names} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The raw JSON, one click away (a native disclosure: keyboard and screen readers know it). */
export function RawJson({ value, label }: { value: unknown; label?: string }) {
  const { t } = useTranslation();
  return (
    <details>
      <summary style={{ cursor: 'pointer' }}>{label ?? t('auditor.data.raw')}</summary>
      <Box mt={4} style={{ maxWidth: '100%', overflowX: 'auto' }}>
        <Code block>{JSON.stringify(value, null, 2)}</Code>
      </Box>
    </details>
  );
}

/** Downloads a value as a JSON file made in the browser (a Blob). */
export function downloadJson(value: unknown, filename: string): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function JsonDownload({
  value,
  filename,
  label,
}: {
  value: unknown;
  filename: string;
  label: string;
}) {
  return (
    <Button variant="default" size="xs" onClick={() => downloadJson(value, filename)}>
      {label}
    </Button>
  );
}

/** Where an entity's page is. */
export function entityPath(kind: EntityKind, id: string): string {
  return `/auditor/timeline/${kind}/${encodeURIComponent(id)}`;
}

/** A link to an entity's timeline, showing `children` (a name) or the id. */
export function EntityLink({ kind, id, children }: { kind: EntityKind; id: string; children?: ReactNode }) {
  return (
    <Anchor component={Link} to={entityPath(kind, id)} style={{ overflowWrap: 'anywhere' }}>
      {children ?? id}
    </Anchor>
  );
}

/** One box for any id or name: a single match opens its page, several are listed to pick from. */
export function SearchBox({ autoFocus }: { autoFocus?: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [q, setQ] = useState('');
  const [error, setError] = useState<string | null>(null);
  const search = useMutation({
    mutationFn: async (query: string) =>
      data(await settlementApi.GET('/v1/audit/search', { params: { query: { q: query } } })).items,
    onSuccess: (items) => {
      if (items.length === 1) navigate(entityPath(items[0]!.kind, items[0]!.id));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (q.trim().length === 0) {
      setError(t('auditor.search.required'));
      return;
    }
    setError(null);
    search.mutate(q.trim());
  };
  return (
    <Stack gap="sm">
      <form onSubmit={submit} role="search">
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            label={t('auditor.search.label')}
            description={t('auditor.search.hint')}
            value={q}
            onChange={(event) => setQ(event.currentTarget.value)}
            error={error}
            autoFocus={autoFocus}
            style={{ flex: '1 1 260px' }}
          />
          <Button type="submit" loading={search.isPending}>
            {t('auditor.search.submit')}
          </Button>
        </Group>
      </form>
      {search.isError && <ProblemAlert error={search.error} />}
      {search.data && search.data.length === 0 && (
        <Text c="dimmed">{t('auditor.search.noMatch', { q: search.variables })}</Text>
      )}
      {search.data && search.data.length > 1 && (
        <Stack gap={4} aria-label={t('auditor.search.matches')} role="list">
          {search.data.map((match) => (
            <Group key={`${match.kind}:${match.id}`} gap="xs" role="listitem" wrap="nowrap">
              <Tag tone="info">{kindLabel(t, match.kind)}</Tag>
              <EntityLink kind={match.kind} id={match.id}>
                {match.label}
              </EntityLink>
              {match.kind !== 'participant' && (
                <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                  {match.id}
                </Text>
              )}
            </Group>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

/** Colours dark enough for 4.5:1 text contrast on white (and white text on them). */
export const TONE = {
  ok: '#1b6b2e',
  bad: '#b3261e',
  warn: '#8a4b00',
  info: '#1c4e9a',
  neutral: '#495057',
} as const;

/** A small label in one of the tones (outlined: dark text on white). */
export function Tag({ tone, children }: { tone: keyof typeof TONE; children: ReactNode }) {
  return (
    <Badge color={TONE[tone]} variant="outline" tt="none" style={{ flexShrink: 0 }}>
      {children}
    </Badge>
  );
}

/** A yes/no verdict as a badge with words (never colour alone). */
export function Verdict({ ok, yes, no }: { ok: boolean; yes: string; no: string }) {
  return (
    <Badge color={ok ? TONE.ok : TONE.bad} variant="filled" size="lg">
      {ok ? yes : no}
    </Badge>
  );
}

import { z } from 'zod';
import type { components } from '../../../api/generated/buyers';

/*
 * The order form's delivery schedule (weekly windows in the buyer's time zone, docs/architecture.md
 * §5.1) and its source filters (§5), as the buyer types them, checked as the exchange checks them
 * (the catalogue's `DeliverySchedule` and `SourceFilters`), and their translation to the API's terms.
 * Validation messages are message keys (buyer.builder.errors.*), translated where they are shown.
 */

export type ScheduleBody = components['schemas']['DeliveryScheduleDto'];
export type SourceFilterBody = components['schemas']['SourceFilterDto'];
export type Weekday = components['schemas']['ScheduleWindowDto']['days'][number];

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface WindowValues {
  days: Weekday[];
  /** `HH:MM`, included. */
  from: string;
  /** `HH:MM`, excluded; `24:00` is the end of the day. */
  to: string;
}

export interface SourceValues {
  /** Empty: the source of every seller. */
  sellerId: string;
  source: string;
  /** Empty: every sub-source of the source. */
  subSource: string;
}

/** The buyer's own time zone (the browser's), the schedule's default. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Every IANA zone the browser knows, for the picker; `current` is kept in it whatever it is. */
export function timeZoneChoices(current: string): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
  const zones = supported ? supported('timeZone') : [];
  return [...new Set([current, 'UTC', ...zones].filter((zone) => zone !== ''))].sort();
}

/** Whether the browser's time-zone database knows the zone (the exchange asks its own the same). */
export function isKnownTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9][A-Za-z0-9_+-]*){0,2}$/.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const FROM_TIME = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
export const TO_TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
/** A seller's source or sub-source tag (`LeadSource` in the catalogue). */
export const SOURCE_TAG = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** A participant id, as the exchange writes them. */
export const PARTICIPANT_ID = /^[A-Za-z0-9_.:-]{1,160}$/;

const minutes = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const E = 'buyer.builder.errors.';

const windowShape = z.object({
  days: z.array(z.enum(WEEKDAYS as [Weekday, ...Weekday[]])).min(1, { message: E + 'windowDays' }),
  from: z.string().regex(FROM_TIME, { message: E + 'windowFrom' }),
  to: z.string().regex(TO_TIME, { message: E + 'windowTo' }),
});

const sourceShape = z.object({
  sellerId: z
    .string()
    .refine((text) => text.trim() === '' || PARTICIPANT_ID.test(text.trim()), { message: E + 'sellerId' }),
  source: z.string().refine((text) => SOURCE_TAG.test(text.trim()), { message: E + 'sourceTag' }),
  subSource: z
    .string()
    .refine((text) => text.trim() === '' || SOURCE_TAG.test(text.trim()), { message: E + 'sourceTag' }),
});

/** The fields this module adds to the order form, and the rules between them. */
export const scheduleAndSourcesShape = {
  timeZone: z.string().refine(isKnownTimeZone, { message: E + 'timeZone' }),
  windows: z.array(windowShape).max(50, { message: E + 'tooManyWindows' }),
  sourcesIncluded: z.array(sourceShape).max(100, { message: E + 'tooManySources' }),
  sourcesExcluded: z.array(sourceShape).max(100, { message: E + 'tooManySources' }),
  requireSampleVerified: z.boolean(),
};

export interface ScheduleAndSourcesValues {
  timeZone: string;
  windows: WindowValues[];
  sourcesIncluded: SourceValues[];
  sourcesExcluded: SourceValues[];
  requireSampleVerified: boolean;
}

/** The schedule's rules across windows: each ends after it starts, none overlaps another on a day. */
export function scheduleRules(values: { windows: WindowValues[] }, context: z.RefinementCtx) {
  const byDay = new Map<Weekday, { from: number; to: number; index: number }[]>();
  values.windows.forEach((window, index) => {
    if (!FROM_TIME.test(window.from) || !TO_TIME.test(window.to)) return;
    const from = minutes(window.from);
    const to = minutes(window.to);
    if (from >= to) {
      context.addIssue({ code: 'custom', path: ['windows', index, 'to'], message: E + 'windowOrder' });
      return;
    }
    for (const day of new Set(window.days)) byDay.set(day, [...(byDay.get(day) ?? []), { from, to, index }]);
  });
  const overlapping = new Set<number>();
  for (const ranges of byDay.values()) {
    ranges.sort((a, b) => a.from - b.from || a.index - b.index);
    for (let i = 1; i < ranges.length; i++)
      if (ranges[i]!.from < ranges[i - 1]!.to)
        overlapping.add(Math.max(ranges[i]!.index, ranges[i - 1]!.index));
  }
  for (const index of overlapping)
    context.addIssue({ code: 'custom', path: ['windows', index, 'days'], message: E + 'windowOverlap' });
}

const sourceKey = (entry: SourceValues) =>
  [entry.sellerId.trim(), entry.source.trim(), entry.subSource.trim()].join('\u0000');

/** No entry twice in a list, none in both lists. */
export function sourceRules(
  values: { sourcesIncluded: SourceValues[]; sourcesExcluded: SourceValues[] },
  context: z.RefinementCtx,
) {
  for (const name of ['sourcesIncluded', 'sourcesExcluded'] as const) {
    const seen = new Set<string>();
    values[name].forEach((entry, index) => {
      const key = sourceKey(entry);
      if (seen.has(key))
        context.addIssue({ code: 'custom', path: [name, index, 'source'], message: E + 'sourceRepeated' });
      seen.add(key);
    });
  }
  const included = new Set(values.sourcesIncluded.map(sourceKey));
  values.sourcesExcluded.forEach((entry, index) => {
    if (included.has(sourceKey(entry)))
      context.addIssue({
        code: 'custom',
        path: ['sourcesExcluded', index, 'source'],
        message: E + 'sourceInBoth',
      });
  });
}

/** The schedule as the API takes it; absent without windows (the order then buys at any time). */
export function toSchedule(values: { timeZone: string; windows: WindowValues[] }): ScheduleBody | undefined {
  if (values.windows.length === 0) return undefined;
  return {
    timeZone: values.timeZone,
    windows: values.windows.map((window) => ({
      days: WEEKDAYS.filter((day) => window.days.includes(day)),
      from: window.from,
      to: window.to,
    })),
  };
}

/** A source list as the API takes it; absent when empty. */
export function toSourceFilters(entries: SourceValues[]): SourceFilterBody[] | undefined {
  if (entries.length === 0) return undefined;
  return entries.map((entry) => ({
    ...(entry.sellerId.trim() ? { sellerId: entry.sellerId.trim() } : {}),
    source: entry.source.trim(),
    ...(entry.subSource.trim() ? { subSource: entry.subSource.trim() } : {}),
  }));
}

export const fromSourceFilters = (entries: SourceFilterBody[] | undefined): SourceValues[] =>
  (entries ?? []).map((entry) => ({
    sellerId: entry.sellerId ?? '',
    source: entry.source,
    subSource: entry.subSource ?? '',
  }));

export const EMPTY_WINDOW: WindowValues = {
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  from: '09:00',
  to: '18:00',
};
export const EMPTY_SOURCE: SourceValues = { sellerId: '', source: '', subSource: '' };

/**
 * Where a field the exchange named lands in the form: `schedule.windows.1.to` on window 2's
 * closing time, `filters.sourcesExcluded.0.source` on the first excluded source, `schedule.windows`
 * on the windows as a whole; null for the fields the rest of the form places.
 */
export function formPathOf(field: string): string | null {
  const schedule = /^schedule\.(timeZone|windows(?:\.\d+(?:\.(?:days|from|to))?)?)(?:\.\d+)?$/.exec(field);
  if (schedule) return schedule[1]!;
  if (field === 'schedule') return 'windows';
  const sources =
    /^filters\.(sources(?:Included|Excluded)(?:\.\d+(?:\.(?:sellerId|source|subSource))?)?)$/.exec(field);
  return sources ? sources[1]! : null;
}

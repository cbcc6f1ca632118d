import { z } from 'zod';
import { NonEmptySet } from './value-types.js';

/*
 * An order's delivery schedule: the days and hours, in the buyer's time zone, when the order
 * accepts leads (docs/architecture.md §5.1). Outside its windows the order is not eligible. The
 * engine evaluates it on the log's clock (libs/matching, `CompiledSchedule`).
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const Weekday = z.enum(WEEKDAYS);

export const SCHEDULE_FROM_PATTERN = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
export const SCHEDULE_TO_PATTERN = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
/** An IANA zone name (`Europe/Madrid`, `America/Argentina/Buenos_Aires`, `UTC`), not an offset. */
export const TIME_ZONE_PATTERN = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9][A-Za-z0-9_+-]*){0,2}$/;

/** Minutes since local midnight of `HH:MM` (`24:00` is 1440). */
export const minuteOfDay = (time: string): number => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

/** Whether the runtime's time-zone database knows the IANA zone name. */
export function isKnownTimeZone(timeZone: string): boolean {
  if (!TIME_ZONE_PATTERN.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export const ScheduleWindow = z.strictObject({
  /** The local days the window opens on. */
  days: NonEmptySet(Weekday, 7),
  /** Local time it opens, `HH:MM` (included). */
  from: z.string().regex(SCHEDULE_FROM_PATTERN, 'expected HH:MM from 00:00 to 23:59'),
  /** Local time it closes, `HH:MM` (excluded); `24:00` is the end of the day. */
  to: z.string().regex(SCHEDULE_TO_PATTERN, 'expected HH:MM from 00:01 to 24:00'),
});

export const DeliverySchedule = z
  .strictObject({
    timeZone: z
      .string()
      .max(64)
      .refine(isKnownTimeZone, 'must be a known IANA time zone, such as Europe/Madrid'),
    windows: z.array(ScheduleWindow).min(1).max(50),
  })
  .superRefine((schedule, context) => {
    const byDay = new Map<Weekday, { from: number; to: number; index: number }[]>();
    schedule.windows.forEach((window, index) => {
      if (!SCHEDULE_FROM_PATTERN.test(window.from) || !SCHEDULE_TO_PATTERN.test(window.to)) return;
      const from = minuteOfDay(window.from);
      const to = minuteOfDay(window.to);
      if (from >= to) {
        context.addIssue({
          code: 'custom',
          path: ['windows', index, 'to'],
          message: `must be after from (${window.from}); a window ends the day it starts, split one that crosses midnight`,
        });
        return;
      }
      for (const day of new Set(window.days))
        byDay.set(day, [...(byDay.get(day) ?? []), { from, to, index }]);
    });
    for (const day of WEEKDAYS) {
      const ranges = (byDay.get(day) ?? []).sort((a, b) => a.from - b.from || a.index - b.index);
      for (let i = 1; i < ranges.length; i++) {
        const before = ranges[i - 1]!;
        const after = ranges[i]!;
        if (after.from < before.to)
          context.addIssue({
            code: 'custom',
            path: ['windows', Math.max(before.index, after.index)],
            message: `overlaps window ${Math.min(before.index, after.index)} on ${day}`,
          });
      }
    }
  });

export type DeliveryScheduleData = z.infer<typeof DeliverySchedule>;

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Mon',
  tue: 'Tue',
  wed: 'Wed',
  thu: 'Thu',
  fri: 'Fri',
  sat: 'Sat',
  sun: 'Sun',
};

/** Runs of consecutive days (`Mon–Fri`, `Sat`, `Mon, Wed`), in week order. */
function describeDays(days: readonly Weekday[]): string {
  const indexes = [...new Set(days.map((day) => WEEKDAYS.indexOf(day)))].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < indexes.length;) {
    let j = i;
    while (j + 1 < indexes.length && indexes[j + 1] === indexes[j]! + 1) j++;
    const first = DAY_NAMES[WEEKDAYS[indexes[i]!]!];
    const last = DAY_NAMES[WEEKDAYS[indexes[j]!]!];
    runs.push(j === i ? first : j === i + 1 ? `${first}, ${last}` : `${first}–${last}`);
    i = j + 1;
  }
  return runs.join(', ');
}

/** The schedule in words: `Mon–Fri 09:00–18:00; Sat 10:00–14:00 (Europe/Madrid)`. */
export function describeSchedule(schedule: DeliveryScheduleData): string {
  const windows = schedule.windows.map(
    (window) => `${describeDays(window.days)} ${window.from}–${window.to}`,
  );
  return `${windows.join('; ')} (${schedule.timeZone})`;
}

import { minuteOfDay, WEEKDAYS, type DeliveryScheduleData } from '#lx/contracts';

/*
 * An order's delivery schedule, compiled once per order (docs/architecture.md §5.1): its windows as
 * sorted, merged ranges of local minutes of the week (Monday 00:00 = 0), and the zone's UTC offset
 * read through `Intl` (the runtime's time-zone database). Pure: the answer depends only on the
 * schedule and the instant asked about, which the engine takes from the log (an input's time),
 * never from the machine's clock.
 *
 * Local wall-clock time decides: on the day clocks go forward the skipped hour does not exist (a
 * window inside it never opens); on the day they go back the repeated hour is open twice if its
 * window covers it.
 */

const MINUTE = 60_000;
const DAY_MINUTES = 1440;
const WEEK_MINUTES = 7 * DAY_MINUTES;
/**
 * Offsets are re-read at least every quarter hour of UTC: every offset change of the time-zone
 * database since 1970 falls on a whole quarter hour of UTC, so an answer is never stale across one.
 */
const OFFSET_RECHECK_MS = 15 * MINUTE;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The zone's offset from UTC at the instant, in ms (whole seconds): local time = instant + offset. */
export function utcOffsetMs(timeZone: string, atMs: number): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(atMs))
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  const local = Date.UTC(
    fields.year!,
    fields.month! - 1,
    fields.day!,
    fields.hour!,
    fields.minute!,
    fields.second!,
  );
  return local - (atMs - (((atMs % 1000) + 1000) % 1000));
}

/** Minute of the week (Monday 00:00 = 0) of a local time given as ms since the epoch. */
function localMinuteOfWeek(localMs: number): number {
  const minutes = Math.floor(localMs / MINUTE);
  const day = Math.floor(minutes / DAY_MINUTES);
  // 1970-01-01 was a Thursday (index 3 from Monday).
  const weekday = (((day + 3) % 7) + 7) % 7;
  return weekday * DAY_MINUTES + (minutes - day * DAY_MINUTES);
}

/** Whether the schedule is open at an instant, and until when that answer holds. */
export interface ScheduleState {
  readonly open: boolean;
  /** The answer holds from the instant asked about until just before this instant (ms). */
  readonly untilMs: number;
}

export class CompiledSchedule {
  readonly timeZone: string;
  /** Open ranges [start, end) of local minutes of the week, sorted and merged. */
  private readonly ranges: readonly (readonly [number, number])[];
  /** Every edge (opening or closing minute of the week), sorted: where the answer can change. */
  private readonly edges: readonly number[];

  constructor(schedule: DeliveryScheduleData) {
    this.timeZone = schedule.timeZone;
    const raw: [number, number][] = [];
    for (const window of schedule.windows) {
      const from = minuteOfDay(window.from);
      const to = minuteOfDay(window.to);
      for (const day of window.days) {
        const base = WEEKDAYS.indexOf(day) * DAY_MINUTES;
        raw.push([base + from, base + to]);
      }
    }
    raw.sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const range of raw) {
      const last = merged.at(-1);
      if (last !== undefined && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
      else merged.push([range[0], range[1]]);
    }
    // Sunday 24:00 meets Monday 00:00: the edge between them is not a change.
    this.ranges = merged;
    const edges = new Set<number>();
    for (const [start, end] of merged) {
      edges.add(start % WEEK_MINUTES);
      edges.add(end % WEEK_MINUTES);
    }
    this.edges = [...edges].sort((a, b) => a - b);
  }

  private openAtMinute(minuteOfWeek: number): boolean {
    for (const [start, end] of this.ranges) {
      if (minuteOfWeek < start) return false;
      if (minuteOfWeek < end) return true;
    }
    return false;
  }

  /** Open at the instant? With how long the answer holds (the next edge, or a quarter hour at most). */
  stateAt(atMs: number): ScheduleState {
    const offset = utcOffsetMs(this.timeZone, atMs);
    const localMs = atMs + offset;
    const minute = localMinuteOfWeek(localMs);
    const open = this.openAtMinute(minute);
    // Minutes to the next edge after this minute, in this offset.
    let ahead = WEEK_MINUTES;
    for (const edge of this.edges) {
      const distance = (edge - minute + WEEK_MINUTES) % WEEK_MINUTES;
      if (distance > 0 && distance < ahead) ahead = distance;
    }
    const minuteStartMs = atMs - (((localMs % MINUTE) + MINUTE) % MINUTE);
    const nextEdgeMs = minuteStartMs + ahead * MINUTE;
    const recheckMs = (Math.floor(atMs / OFFSET_RECHECK_MS) + 1) * OFFSET_RECHECK_MS;
    return { open, untilMs: Math.min(nextEdgeMs, recheckMs) };
  }

  isOpenAt(atMs: number): boolean {
    return this.stateAt(atMs).open;
  }

  /**
   * The first instant after `atMs` at which the answer changes (opens if closed, closes if open),
   * or null when it never does within `horizonMs` (an always-open schedule, for one).
   */
  nextChangeAfter(atMs: number, horizonMs = 8 * 24 * 3_600_000): number | null {
    const first = this.stateAt(atMs);
    let state = first;
    while (state.untilMs - atMs <= horizonMs) {
      const at = state.untilMs;
      state = this.stateAt(at);
      if (state.open !== first.open) return at;
    }
    return null;
  }
}

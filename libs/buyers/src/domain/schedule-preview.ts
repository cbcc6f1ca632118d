import { describeSchedule, type DeliveryScheduleData } from '#lx/contracts';
import { CompiledSchedule } from '#lx/matching/rules';

/** What the order preview says about an order's delivery schedule at a given instant. */
export interface SchedulePreview {
  /** The schedule in words: `Mon–Fri 09:00–18:00; Sat 10:00–14:00 (Europe/Madrid)`. */
  description: string;
  /** Whether the order would match now. */
  openNow: boolean;
  /** When it next opens (if closed now) or closes (if open now), within a week; null: never. */
  nextChangeAt: string | null;
  message: string;
}

/**
 * The engine's own schedule rule (docs/architecture.md §5.1), asked about `now`: outside its
 * windows an order does not match, so a preview must say so beside the inventory it counts.
 */
export function previewSchedule(schedule: DeliveryScheduleData, now: Date): SchedulePreview {
  const compiled = new CompiledSchedule(schedule);
  const at = now.getTime();
  const openNow = compiled.isOpenAt(at);
  const next = compiled.nextChangeAfter(at);
  const nextChangeAt = next === null ? null : new Date(next).toISOString();
  const description = describeSchedule(schedule);
  const message = openNow
    ? `Inside the order's schedule now (${description}): it matches leads` +
      (nextChangeAt === null ? ' at any time.' : ` until ${nextChangeAt}.`)
    : `Outside the order's schedule now (${description}): it would not match any lead now` +
      (nextChangeAt === null
        ? '.'
        : `; its next window opens at ${nextChangeAt}, when the resting leads it accepts are offered to it.`);
  return { description, openNow, nextChangeAt, message };
}

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DeliverySchedule,
  describeSchedule,
  orderTermsShape,
  type DeliveryScheduleData,
} from '#lx/contracts';
import { CompiledSchedule, utcOffsetMs } from './delivery-schedule.js';

const ms = (instant: string) => Date.parse(instant);
const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

const officeHours: DeliveryScheduleData = {
  timeZone: 'Europe/Madrid',
  windows: [
    { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' },
    { days: ['sat'], from: '10:00', to: '14:00' },
  ],
};

const issues = (value: unknown) => {
  const parsed = DeliverySchedule.safeParse(value);
  return parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('the delivery schedule in the catalogue', () => {
  it('accepts "Mon–Fri 09:00–18:00, Sat 10:00–14:00" in Europe/Madrid, and says so in words', () => {
    expect(issues(officeHours)).toEqual([]);
    expect(describeSchedule(officeHours)).toBe('Mon–Fri 09:00–18:00; Sat 10:00–14:00 (Europe/Madrid)');
    expect(
      describeSchedule({
        timeZone: 'UTC',
        windows: [{ days: ['sun', 'mon', 'wed', 'sat', 'fri'], from: '00:00', to: '24:00' }],
      }),
    ).toBe('Mon, Wed, Fri–Sun 00:00–24:00 (UTC)');
  });

  it('refuses unknown zones and offsets instead of IANA names', () => {
    for (const timeZone of ['Europe/Atlantis', 'Mars/Olympus', '+01:00', 'GMT+1 ', '', 'europe madrid'])
      expect(issues({ ...officeHours, timeZone })).toEqual([
        'timeZone: must be a known IANA time zone, such as Europe/Madrid',
      ]);
    for (const timeZone of ['UTC', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'Etc/GMT-3'])
      expect(issues({ ...officeHours, timeZone })).toEqual([]);
  });

  it('refuses a window that does not end after it starts, bad times, and windows that overlap on a day', () => {
    const windows = (...list: object[]) => issues({ timeZone: 'UTC', windows: list });
    expect(windows({ days: ['mon'], from: '18:00', to: '09:00' })).toEqual([
      'windows.0.to: must be after from (18:00); a window ends the day it starts, split one that crosses midnight',
    ]);
    expect(windows({ days: ['mon'], from: '09:00', to: '09:00' })).toHaveLength(1);
    expect(windows({ days: ['mon'], from: '24:00', to: '24:00' })).toEqual([
      'windows.0.from: expected HH:MM from 00:00 to 23:59',
    ]);
    expect(windows({ days: ['mon'], from: '9:00', to: '25:00' })).toHaveLength(2);
    expect(windows({ days: ['funday'], from: '09:00', to: '10:00' })).toHaveLength(1);
    expect(windows({ days: ['mon', 'mon'], from: '09:00', to: '10:00' })).toEqual([
      'windows.0.days: must not repeat a value',
    ]);
    expect(windows({ days: [], from: '09:00', to: '10:00' })).toHaveLength(1);
    expect(
      windows(
        { days: ['mon', 'tue'], from: '09:00', to: '18:00' },
        { days: ['tue', 'wed'], from: '17:00', to: '19:00' },
      ),
    ).toEqual(['windows.1: overlaps window 0 on tue']);
    // Back to back is not an overlap.
    expect(
      windows({ days: ['mon'], from: '09:00', to: '12:00' }, { days: ['mon'], from: '12:00', to: '13:00' }),
    ).toEqual([]);
    expect(issues({ timeZone: 'UTC', windows: [] })).toHaveLength(1);
    expect(
      issues({ timeZone: 'UTC', windows: [{ days: ['mon'], from: '09:00', to: '10:00', at: 1 }] }),
    ).toHaveLength(1);
  });

  it('is an optional order term, with hourly caps beside the daily ones', () => {
    expect(orderTermsShape.schedule.safeParse(undefined).success).toBe(true);
    expect(orderTermsShape.hourlyCapCount.safeParse(0).success).toBe(false);
    expect(orderTermsShape.hourlyCapCount.safeParse(3).success).toBe(true);
    expect(orderTermsShape.hourlyCapSpend.safeParse(1.5).success).toBe(false);
  });
});

describe('a compiled schedule on the log clock', () => {
  const schedule = new CompiledSchedule(officeHours);

  it('opens at a window start and closes at its end, local time (Madrid is UTC+1 in January)', () => {
    // 2030-01-07 is a Monday.
    expect(schedule.isOpenAt(ms('2030-01-07T07:59:59.999Z'))).toBe(false);
    expect(schedule.isOpenAt(ms('2030-01-07T08:00:00.000Z'))).toBe(true);
    expect(schedule.isOpenAt(ms('2030-01-07T16:59:59.999Z'))).toBe(true);
    expect(schedule.isOpenAt(ms('2030-01-07T17:00:00.000Z'))).toBe(false);
    // Saturday 10:00–14:00 local; Sunday closed all day.
    expect(schedule.isOpenAt(ms('2030-01-12T09:30:00.000Z'))).toBe(true);
    expect(schedule.isOpenAt(ms('2030-01-12T13:00:00.000Z'))).toBe(false);
    expect(schedule.isOpenAt(ms('2030-01-13T10:00:00.000Z'))).toBe(false);
  });

  it('follows the zone into summer time (UTC+2 in July)', () => {
    // 2030-07-01 is a Monday.
    expect(schedule.isOpenAt(ms('2030-07-01T06:59:00.000Z'))).toBe(false);
    expect(schedule.isOpenAt(ms('2030-07-01T07:00:00.000Z'))).toBe(true);
    expect(schedule.isOpenAt(ms('2030-07-01T15:59:00.000Z'))).toBe(true);
    expect(schedule.isOpenAt(ms('2030-07-01T16:00:00.000Z'))).toBe(false);
  });

  it('on the day clocks go forward, a window in the skipped hour never opens and later ones shift', () => {
    // Sunday 2030-03-31: at 01:00 UTC Madrid jumps from 02:00 to 03:00.
    const sunday = new CompiledSchedule({
      timeZone: 'Europe/Madrid',
      windows: [
        { days: ['sun'], from: '02:00', to: '03:00' },
        { days: ['sun'], from: '09:00', to: '10:00' },
      ],
    });
    for (let at = ms('2030-03-31T00:00:00.000Z'); at < ms('2030-03-31T02:00:00.000Z'); at += 60_000)
      expect(sunday.isOpenAt(at)).toBe(false);
    expect(sunday.isOpenAt(ms('2030-03-31T06:59:59.000Z'))).toBe(false);
    expect(sunday.isOpenAt(ms('2030-03-31T07:00:00.000Z'))).toBe(true);
    // A week earlier (UTC+1) the same local hour was an hour later in UTC.
    expect(sunday.isOpenAt(ms('2030-03-24T01:30:00.000Z'))).toBe(true);
    expect(sunday.isOpenAt(ms('2030-03-24T07:30:00.000Z'))).toBe(false);
    expect(sunday.isOpenAt(ms('2030-03-24T08:00:00.000Z'))).toBe(true);
    expect(iso(sunday.nextChangeAfter(ms('2030-03-30T12:00:00.000Z')))).toBe('2030-03-31T07:00:00.000Z');
  });

  it('on the day clocks go back, the repeated hour is open twice', () => {
    // Sunday 2030-10-27: at 01:00 UTC Madrid goes back from 03:00 to 02:00.
    const sunday = new CompiledSchedule({
      timeZone: 'Europe/Madrid',
      windows: [{ days: ['sun'], from: '02:00', to: '03:00' }],
    });
    expect(sunday.isOpenAt(ms('2030-10-26T23:59:59.000Z'))).toBe(false);
    expect(sunday.isOpenAt(ms('2030-10-27T00:00:00.000Z'))).toBe(true);
    expect(sunday.isOpenAt(ms('2030-10-27T01:30:00.000Z'))).toBe(true);
    expect(sunday.isOpenAt(ms('2030-10-27T02:00:00.000Z'))).toBe(false);
    expect(iso(sunday.nextChangeAfter(ms('2030-10-27T00:10:00.000Z')))).toBe('2030-10-27T02:00:00.000Z');
    expect(utcOffsetMs('Europe/Madrid', ms('2030-10-27T00:59:59.000Z'))).toBe(2 * 3_600_000);
    expect(utcOffsetMs('Europe/Madrid', ms('2030-10-27T01:00:00.000Z'))).toBe(3_600_000);
  });

  it('works in zones off the whole hour and south of the equator', () => {
    const kolkata = new CompiledSchedule({
      timeZone: 'Asia/Kolkata',
      windows: [{ days: ['mon'], from: '09:00', to: '09:30' }],
    });
    // 09:00 IST = 03:30 UTC.
    expect(kolkata.isOpenAt(ms('2030-01-07T03:29:59.000Z'))).toBe(false);
    expect(kolkata.isOpenAt(ms('2030-01-07T03:30:00.000Z'))).toBe(true);
    expect(kolkata.isOpenAt(ms('2030-01-07T04:00:00.000Z'))).toBe(false);
    const sydney = new CompiledSchedule({
      timeZone: 'Australia/Sydney',
      windows: [{ days: ['mon'], from: '09:00', to: '10:00' }],
    });
    // January is summer time there (UTC+11): Monday 09:00 is Sunday 22:00 UTC.
    expect(sydney.isOpenAt(ms('2030-01-06T22:00:00.000Z'))).toBe(true);
    expect(sydney.isOpenAt(ms('2030-01-06T21:59:00.000Z'))).toBe(false);
  });

  it('a schedule open all week never changes; a window crossing midnight is two windows that join', () => {
    const always = new CompiledSchedule({
      timeZone: 'UTC',
      windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00' }],
    });
    expect(always.isOpenAt(ms('2030-01-06T23:59:59.999Z'))).toBe(true);
    expect(always.nextChangeAfter(ms('2030-01-06T12:00:00.000Z'))).toBeNull();
    const overnight = new CompiledSchedule({
      timeZone: 'UTC',
      windows: [
        { days: ['fri'], from: '22:00', to: '24:00' },
        { days: ['sat'], from: '00:00', to: '02:00' },
      ],
    });
    expect(overnight.isOpenAt(ms('2030-01-11T23:59:00.000Z'))).toBe(true);
    expect(overnight.isOpenAt(ms('2030-01-12T00:00:00.000Z'))).toBe(true);
    expect(iso(overnight.nextChangeAfter(ms('2030-01-11T22:30:00.000Z')))).toBe('2030-01-12T02:00:00.000Z');
  });

  it('agrees with the local time Intl reports, and its answer holds until the instant it names', () => {
    const zones = ['Europe/Madrid', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC'];
    const weekday = (zone: string, at: number) =>
      new Date(at)
        .toLocaleDateString('en-US', { weekday: 'short', timeZone: zone })
        .toLowerCase()
        .slice(0, 3);
    const minutes = (zone: string, at: number) => {
      const [h, m] = new Date(at)
        .toLocaleTimeString('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
        .split(':')
        .map(Number);
      return h! * 60 + m!;
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: ms('2029-01-01T00:00:00Z'), max: ms('2032-01-01T00:00:00Z') }),
        fc.integer({ min: 0, max: 1 }),
        (timeZone, at, later) => {
          const compiled = new CompiledSchedule({ ...officeHours, timeZone });
          const state = compiled.stateAt(at);
          const day = weekday(timeZone, at);
          const minute = minutes(timeZone, at);
          const expected =
            (['mon', 'tue', 'wed', 'thu', 'fri'].includes(day) && minute >= 540 && minute < 1080) ||
            (day === 'sat' && minute >= 600 && minute < 840);
          expect(state.open).toBe(expected);
          expect(state.untilMs).toBeGreaterThan(at);
          // Still the same answer at the last millisecond it is said to hold.
          const end = later === 1 ? state.untilMs - 1 : at + Math.floor((state.untilMs - at) / 2);
          expect(compiled.isOpenAt(end)).toBe(expected);
        },
      ),
      { numRuns: 400 },
    );
  });
});

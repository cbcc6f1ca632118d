import { describe, expect, it } from '@jest/globals';
import { previewSchedule } from './schedule-preview.js';

const officeHours = {
  timeZone: 'Europe/Madrid',
  windows: [
    {
      days: ['mon', 'tue', 'wed', 'thu', 'fri'] as ('mon' | 'tue' | 'wed' | 'thu' | 'fri')[],
      from: '09:00',
      to: '18:00',
    },
    { days: ['sat'] as 'sat'[], from: '10:00', to: '14:00' },
  ],
};

describe('the order preview on a schedule', () => {
  it('says an order outside its schedule would not match now, and when its next window opens', () => {
    // Sunday 2030-01-13, noon in Madrid.
    expect(previewSchedule(officeHours, new Date('2030-01-13T11:00:00.000Z'))).toEqual({
      description: 'Mon–Fri 09:00–18:00; Sat 10:00–14:00 (Europe/Madrid)',
      openNow: false,
      nextChangeAt: '2030-01-14T08:00:00.000Z',
      message:
        "Outside the order's schedule now (Mon–Fri 09:00–18:00; Sat 10:00–14:00 (Europe/Madrid)): it would not " +
        'match any lead now; its next window opens at 2030-01-14T08:00:00.000Z, when the resting leads it accepts are offered to it.',
    });
  });

  it('says an order inside its schedule matches, and until when', () => {
    const preview = previewSchedule(officeHours, new Date('2030-01-12T09:30:00.000Z'));
    expect(preview).toMatchObject({ openNow: true, nextChangeAt: '2030-01-12T13:00:00.000Z' });
    expect(preview.message).toMatch(
      /^Inside the order's schedule now .*: it matches leads until 2030-01-12T13:00:00.000Z\.$/,
    );
  });

  it('an order open at all times matches at any time', () => {
    const always = {
      timeZone: 'UTC',
      windows: [
        { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const, from: '00:00', to: '24:00' },
      ],
    };
    const preview = previewSchedule(
      { ...always, windows: always.windows.map((w) => ({ ...w, days: [...w.days] })) },
      new Date('2030-01-12T09:30:00.000Z'),
    );
    expect(preview).toMatchObject({ openNow: true, nextChangeAt: null });
    expect(preview.message).toMatch(/matches leads at any time\.$/);
  });
});

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** ISO 8601 with `Z`, or — as many sellers' systems write it — local time with its offset. */
export function formatInstant(at: Date, utcOffsetMinutes?: number): string {
  if (utcOffsetMinutes === undefined) return at.toISOString();
  const local = new Date(at.getTime() + utcOffsetMinutes * 60_000);
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const offset = Math.abs(utcOffsetMinutes);
  return `${local.toISOString().slice(0, 23)}${sign}${pad(Math.floor(offset / 60))}:${pad(offset % 60)}`;
}

export function isoDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Whole years between a YYYY-MM-DD birth date and an instant (UTC calendar). */
export function ageOn(dateOfBirth: string, at: Date): number {
  const [year, month, day] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const age = at.getUTCFullYear() - year;
  const birthdayPassed =
    at.getUTCMonth() + 1 > month || (at.getUTCMonth() + 1 === month && at.getUTCDate() >= day);
  return birthdayPassed ? age : age - 1;
}

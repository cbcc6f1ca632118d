import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WEEKDAYS } from '#lx/contracts';
import { startExchange, type RunningExchange } from './support/exchange.js';
import { listExclusiveEyewear } from './support/sellers.js';
import {
  cleanEyewearRows,
  confirmDeposit,
  eyewearParties,
  participantCalls,
  pullOrder,
  register,
  sleep,
  waitUntil,
  type Registered,
} from './support/scenarios.js';

/*
 * Delivery schedules and hourly caps over HTTP (docs/architecture.md §5.1). Leads are listed at the
 * wall clock's time (their LeadListed's time is the engine's clock), so the schedules are built
 * around today: "open" covers today and tomorrow (UTC) whole, "closed" the five other days — each
 * holds for the whole run even across midnight.
 */

const FLOOR = 30_000;
const today = new Date().getUTCDay(); // 0 = Sunday
const weekday = (offset: number) => WEEKDAYS[(today + 6 + offset) % 7]!; // WEEKDAYS starts on Monday
const openNow = {
  timeZone: 'UTC',
  windows: [{ days: [weekday(0), weekday(1)], from: '00:00', to: '24:00' }],
};
const closedNow = {
  timeZone: 'Europe/Madrid',
  // Madrid's days 2–6 from now start at 22:00 UTC tomorrow at the earliest: closed for the whole run.
  windows: [{ days: [2, 3, 4, 5, 6].map(weekday), from: '00:00', to: '24:00' }],
};

describe('delivery schedules and hourly caps', () => {
  let exchange: RunningExchange;
  let seller: Registered;
  let day: Registered;
  let night: Registered;
  const call = participantCalls(() => exchange);
  const orders: Record<string, string> = {};

  const purchases = async (buyer: Registered) =>
    (await call('buyers', buyer, 'GET', '/v1/purchased-leads?limit=50')).body.items as {
      orderId: string;
      price: number;
      rule: string;
      allocatedAt: string;
    }[];

  beforeAll(async () => {
    exchange = await startExchange('schedules', { LX_RATE_LIMIT_PER_MINUTE: '100000' });
    ({ seller, buyer: day } = await eyewearParties(exchange, 'Óptica de Día', {
      amount: 2_000_000,
      reference: 'wire-schedules-day',
    }));
    night = await register(exchange, 'buyer', 'Óptica Nocturna');
    await confirmDeposit(exchange, night, 2_000_000, 'wire-schedules-night');
  });
  afterAll(async () => exchange?.stop());

  it('refuses a schedule with an unknown zone, a window ending before it starts, or overlapping windows', async () => {
    const order = (schedule: unknown) => ({ ...pullOrder({ bid: 50_000, quantity: 2 }), schedule });
    const fieldsOf = async (schedule: unknown) => {
      const refused = await call('buyers', day, 'POST', '/v1/orders', order(schedule));
      expect(refused.status).toBe(400);
      return (refused.body.errors as { field: string; messages: string[] }[]).map(
        (error) => `${error.field}: ${error.messages.join(', ')}`,
      );
    };
    expect(await fieldsOf({ ...openNow, timeZone: 'Europe/Atlantis' })).toEqual([
      'schedule.timeZone: timeZone must be a known IANA time zone, such as Europe/Madrid',
    ]);
    expect(
      await fieldsOf({ timeZone: 'UTC', windows: [{ days: ['mon'], from: '18:00', to: '09:00' }] }),
    ).toEqual([
      'schedule.windows.0.to: must be after from (18:00); a window ends the day it starts, split one that crosses midnight',
    ]);
    expect(
      await fieldsOf({
        timeZone: 'UTC',
        windows: [
          { days: ['mon', 'tue'], from: '09:00', to: '18:00' },
          { days: ['tue'], from: '17:00', to: '19:00' },
        ],
      }),
    ).toEqual(['schedule.windows.1: overlaps window 0 on tue']);
    const preview = await call('buyers', day, 'POST', '/v1/orders/preview', {
      vertical: 'eyewear',
      filters: {},
      schedule: { ...openNow, timeZone: '+01:00' },
    });
    expect(preview.status).toBe(400);
  });

  it('the preview says whether an order on its schedule would match now', async () => {
    const preview = (schedule: unknown) =>
      call('buyers', day, 'POST', '/v1/orders/preview', { vertical: 'eyewear', filters: {}, schedule });
    const closed = await preview(closedNow);
    expect(closed.status).toBe(200);
    expect(closed.body.schedule).toMatchObject({ openNow: false, nextChangeAt: expect.any(String) });
    expect(closed.body.schedule.message).toMatch(
      /^Outside the order's schedule now .*Europe\/Madrid.*would not match/,
    );
    const open = await preview(openNow);
    expect(open.body.schedule).toMatchObject({ openNow: true });
    expect(open.body.schedule.message).toMatch(/^Inside the order's schedule now/);
    expect(
      (await call('buyers', day, 'POST', '/v1/orders/preview', { vertical: 'eyewear', filters: {} })).body
        .schedule,
    ).toBeNull();
  });

  it('an order outside its schedule does not match; one inside it does, up to its hourly cap', async () => {
    const nightOrder = await call('buyers', night, 'POST', '/v1/orders', {
      ...pullOrder({ bid: 90_000, quantity: 4 }),
      schedule: closedNow,
    });
    expect(nightOrder.status).toBe(201);
    expect(nightOrder.body.terms.schedule).toEqual(closedNow);
    orders.night = nightOrder.body.orderId;
    const dayOrder = await call('buyers', day, 'POST', '/v1/orders', {
      ...pullOrder({ bid: 60_000, quantity: 10 }),
      hourlyCapCount: 2,
      schedule: openNow,
    });
    expect(dayOrder.status).toBe(201);
    expect(dayOrder.body.terms).toMatchObject({ hourlyCapCount: 2, schedule: openNow });
    orders.day = dayOrder.body.orderId;

    await listExclusiveEyewear(exchange, seller.apiKey, cleanEyewearRows('schedules-e2e', 4), FLOOR);
    const bought = await waitUntil('the day order’s purchases', async () => {
      const items = await purchases(day);
      return items.length >= 2 ? items : undefined;
    });
    // The night order bid more but was outside its schedule: the day order met no competing bid.
    expect(bought.every((p) => p.orderId === orders.day && p.price === FLOOR)).toBe(true);
    await sleep(1000);
    const settled = await purchases(day);
    const perHour = new Map<string, number>();
    for (const p of settled)
      perHour.set(p.allocatedAt.slice(0, 13), (perHour.get(p.allocatedAt.slice(0, 13)) ?? 0) + 1);
    expect(Math.max(...perHour.values())).toBeLessThanOrEqual(2);
    expect(await purchases(night)).toEqual([]);
  });

  it('amending the schedule away lets the resting leads reach the order at their floor', async () => {
    const dayBought = (await purchases(day)).length;
    const { vertical: _vertical, ...terms } = pullOrder({ bid: 90_000, quantity: 4 });
    const amended = await call('buyers', night, 'PUT', `/v1/orders/${orders.night}/terms`, terms);
    expect(amended.status).toBe(200);
    expect(amended.body.terms.schedule).toBeUndefined();
    const swept = await waitUntil('the night order’s sweep', async () => {
      const items = await purchases(night);
      return items.length >= 4 - dayBought ? items : undefined;
    });
    expect(swept.map((p) => [p.price, p.rule])).toEqual(
      Array.from({ length: 4 - dayBought }, () => [FLOOR, 'resting-lead-floor']),
    );
  });
});

import { describe, expect, it } from '@jest/globals';
import type { DeliveryScheduleData } from '#lx/contracts';
import { generateLeadRows, scenarioOneOrder } from '#lx/market-generator';
import { allocations } from '../testing/engine-spec.js';
import { leadListedFromRow, orderPlacedFromSpec } from '../testing/generated-market.js';
import {
  InputLog,
  leadListed,
  orderAmended,
  orderPlaced,
  settings,
  tick,
} from '../testing/market-fixtures.js';
import { MarketEngine } from './market-engine.js';
import type { MarketInput, MarketInputEvent, MarketOutput } from './market-model.js';

/*
 * Delivery schedules and hourly caps (docs/architecture.md §5.1): the order is eligible only inside
 * its windows, on the engine's clock (the inputs' times), and buys at most its hourly caps per
 * clock hour.
 */

// 2030-01-07 is a Monday; Madrid is UTC+1 in January.
const weekdaysInMadrid: DeliveryScheduleData = {
  timeZone: 'Europe/Madrid',
  windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '18:00' }],
};

function engineAndLog() {
  const engine = new MarketEngine({ vertical: 'eyewear' });
  const log = new InputLog();
  const apply = (event: MarketInputEvent, at: string) => engine.apply(log.input(event, at));
  return { engine, apply };
}

const listed = (leadId: string) =>
  leadListed(leadId, {
    expiresAt: '2030-02-01T00:00:00.000Z',
    attributes: { capturedAt: '2030-01-06T00:00:00.000Z' },
  });

describe('an order with a schedule', () => {
  it('does not match outside its windows and matches inside them, on the inputs’ times', () => {
    const { apply } = engineAndLog();
    apply(orderPlaced('o-1', { schedule: weekdaysInMadrid, quantity: 5 }), '2030-01-07T07:00:00.000Z');
    // 07:59:59 UTC is 08:59:59 in Madrid: closed.
    expect(allocations(apply(listed('lead-1'), '2030-01-07T07:59:59.000Z'))).toEqual([]);
    // 08:00 UTC is 09:00 in Madrid: open.
    expect(allocations(apply(listed('lead-2'), '2030-01-07T08:00:00.000Z')).map((a) => a.leadId)).toEqual([
      'lead-2',
    ]);
    // 17:00 UTC is 18:00 in Madrid: closed again.
    expect(allocations(apply(listed('lead-3'), '2030-01-07T17:00:00.000Z'))).toEqual([]);
    // Saturday: closed all day.
    expect(allocations(apply(listed('lead-4'), '2030-01-12T11:00:00.000Z'))).toEqual([]);
  });

  it('an order outside its schedule leaves the lead to the next bidder, who pays as if it were alone', () => {
    const { apply } = engineAndLog();
    apply(orderPlaced('o-scheduled', { bid: 90000, schedule: weekdaysInMadrid }), '2030-01-12T10:00:00.000Z');
    apply(orderPlaced('o-always', { bid: 50000 }), '2030-01-12T10:00:00.000Z');
    const sold = allocations(apply(listed('lead-1'), '2030-01-12T10:00:00.000Z'));
    expect(sold.map((a) => [a.orderId, a.price, a.rule])).toEqual([['o-always', 30000, 'exclusive-floor']]);
    expect(sold[0]!.competingBids.map((bid) => bid.orderId)).toEqual(['o-always']);
  });

  it('placed while closed, it takes no resting lead; the tick that opens its window offers them at their floor', () => {
    const { engine, apply } = engineAndLog();
    apply(listed('lead-1'), '2030-01-07T06:00:00.000Z');
    apply(listed('lead-2'), '2030-01-07T06:00:00.000Z');
    expect(
      allocations(apply(orderPlaced('o-1', { schedule: weekdaysInMadrid }), '2030-01-07T06:30:00.000Z')),
    ).toEqual([]);
    expect(allocations(apply(tick('2030-01-07T07:59:00.000Z'), '2030-01-07T07:59:00.000Z'))).toEqual([]);
    const opened = allocations(apply(tick('2030-01-07T08:00:00.000Z'), '2030-01-07T08:00:00.000Z'));
    expect(opened.map((a) => [a.leadId, a.price, a.rule])).toEqual([
      ['lead-1', 30000, 'resting-lead-floor'],
      ['lead-2', 30000, 'resting-lead-floor'],
    ]);
    expect(engine.restingLeadCount).toBe(0);
    // The next tick inside the same window offers nothing again.
    apply(listed('lead-3'), '2030-01-07T17:30:00.000Z'); // after 18:00 Madrid: rests
    expect(allocations(apply(tick('2030-01-07T08:01:00.000Z'), '2030-01-07T17:31:00.000Z'))).toEqual([]);
    expect(engine.restingLeadCount).toBe(1);
  });

  it('an order placed while open sweeps at once, and a later tick does not sweep it a second time', () => {
    const { apply } = engineAndLog();
    apply(listed('lead-1'), '2030-01-07T09:00:00.000Z');
    const placed = allocations(
      apply(orderPlaced('o-1', { schedule: weekdaysInMadrid, bid: 30000 }), '2030-01-07T09:00:00.000Z'),
    );
    expect(placed.map((a) => a.leadId)).toEqual(['lead-1']);
    expect(apply(tick('2030-01-07T09:01:00.000Z'), '2030-01-07T09:01:00.000Z')).toEqual([]);
  });

  it('a paused order is not offered leads when its window opens; resuming inside the window sweeps', () => {
    const { apply } = engineAndLog();
    apply(orderPlaced('o-1', { schedule: weekdaysInMadrid }), '2030-01-07T06:00:00.000Z');
    apply(
      { type: 'OrderPaused', data: { orderId: 'o-1', buyerId: 'buyer-of-o-1' } },
      '2030-01-07T06:00:00.000Z',
    );
    apply(listed('lead-1'), '2030-01-07T06:10:00.000Z');
    expect(allocations(apply(tick('2030-01-07T08:00:00.000Z'), '2030-01-07T08:00:00.000Z'))).toEqual([]);
    const resumed = allocations(
      apply(
        { type: 'OrderResumed', data: { orderId: 'o-1', buyerId: 'buyer-of-o-1' } },
        '2030-01-07T08:30:00.000Z',
      ),
    );
    expect(resumed.map((a) => a.leadId)).toEqual(['lead-1']);
  });

  it('an amendment can add, change or drop the schedule', () => {
    const { apply } = engineAndLog();
    apply(orderPlaced('o-1', { quantity: 5 }), '2030-01-12T10:00:00.000Z');
    apply(orderAmended('o-1', { quantity: 5, schedule: weekdaysInMadrid }), '2030-01-12T10:00:00.000Z');
    expect(allocations(apply(listed('lead-1'), '2030-01-12T10:00:00.000Z'))).toEqual([]);
    // Dropping the schedule sweeps the lead that rested meanwhile.
    const amended = allocations(apply(orderAmended('o-1', { quantity: 5 }), '2030-01-12T10:05:00.000Z'));
    expect(amended.map((a) => a.leadId)).toEqual(['lead-1']);
    apply(
      orderAmended('o-1', {
        quantity: 5,
        schedule: { timeZone: 'UTC', windows: [{ days: ['sat'], from: '10:00', to: '11:00' }] },
      }),
      '2030-01-12T10:06:00.000Z',
    );
    expect(allocations(apply(listed('lead-2'), '2030-01-12T10:59:59.000Z')).map((a) => a.leadId)).toEqual([
      'lead-2',
    ]);
    expect(allocations(apply(listed('lead-3'), '2030-01-12T11:00:00.000Z'))).toEqual([]);
  });

  it('follows the buyer’s zone across a change to summer time', () => {
    const { apply } = engineAndLog();
    const sundayMorning: DeliveryScheduleData = {
      timeZone: 'Europe/Madrid',
      windows: [{ days: ['sun'], from: '09:00', to: '10:00' }],
    };
    apply(orderPlaced('o-1', { schedule: sundayMorning, quantity: 5 }), '2030-03-24T06:00:00.000Z');
    const listedAt = (leadId: string, at: string) =>
      allocations(
        apply(
          leadListed(leadId, {
            expiresAt: '2030-05-01T00:00:00.000Z',
            attributes: { capturedAt: '2030-03-20T00:00:00.000Z' },
          }),
          at,
        ),
      ).length;
    // Winter, UTC+1: 09:00 is 08:00 UTC.
    expect(listedAt('lead-1', '2030-03-24T07:30:00.000Z')).toBe(0);
    expect(listedAt('lead-2', '2030-03-24T08:30:00.000Z')).toBe(1);
    // Clocks went forward on 2030-03-31 at 01:00 UTC; summer, UTC+2: 09:00 is 07:00 UTC.
    expect(listedAt('lead-3', '2030-03-31T07:30:00.000Z')).toBe(1);
    expect(listedAt('lead-4', '2030-03-31T08:30:00.000Z')).toBe(0);
  });
});

describe('hourly caps', () => {
  it('an hourly count cap stops buying for the rest of the clock hour and resets at the next', () => {
    const { apply } = engineAndLog();
    apply(orderPlaced('o-1', { hourlyCapCount: 2, quantity: 10 }), '2030-01-07T10:00:00.000Z');
    const count = (leadId: string, at: string) => allocations(apply(listed(leadId), at)).length;
    expect(count('lead-1', '2030-01-07T10:00:00.000Z')).toBe(1);
    expect(count('lead-2', '2030-01-07T10:30:00.000Z')).toBe(1);
    expect(count('lead-3', '2030-01-07T10:59:59.999Z')).toBe(0);
    expect(count('lead-4', '2030-01-07T11:00:00.000Z')).toBe(1);
  });

  it('an hourly spend cap bounds the bid by what is left to spend this hour', () => {
    const { apply } = engineAndLog();
    apply(
      orderPlaced('o-1', { bid: 50000, hourlyCapSpend: 70000, quantity: 10 }),
      '2030-01-07T10:00:00.000Z',
    );
    apply(orderPlaced('o-2', { bid: 35000, quantity: 10 }), '2030-01-07T10:00:00.000Z');
    const winner = (leadId: string, at: string) =>
      allocations(apply(listed(leadId), at)).map((a) => [a.orderId, a.price]);
    // o-1 bids 50 000 and pays o-2's 35 000.
    expect(winner('lead-1', '2030-01-07T10:00:00.000Z')).toEqual([['o-1', 35000]]);
    // 35 000 left this hour: o-1 bids 35 000, ties o-2 and wins on placement, paying 35 000.
    expect(winner('lead-2', '2030-01-07T10:10:00.000Z')).toEqual([['o-1', 35000]]);
    // Nothing left this hour: o-2 takes it at the floor.
    expect(winner('lead-3', '2030-01-07T10:20:00.000Z')).toEqual([['o-2', 30000]]);
    // A new hour: o-1 bids in full again.
    expect(winner('lead-4', '2030-01-07T11:00:00.000Z')).toEqual([['o-1', 35000]]);
  });

  it('hourly and daily caps hold together', () => {
    const { apply } = engineAndLog();
    apply(
      orderPlaced('o-1', { hourlyCapCount: 2, dailyCapCount: 3, quantity: 10 }),
      '2030-01-07T22:00:00.000Z',
    );
    const count = (leadId: string, at: string) => allocations(apply(listed(leadId), at)).length;
    expect(count('lead-1', '2030-01-07T22:00:00.000Z')).toBe(1);
    expect(count('lead-2', '2030-01-07T22:01:00.000Z')).toBe(1);
    expect(count('lead-3', '2030-01-07T22:02:00.000Z')).toBe(0); // hourly
    expect(count('lead-4', '2030-01-07T23:00:00.000Z')).toBe(1);
    expect(count('lead-5', '2030-01-07T23:01:00.000Z')).toBe(0); // daily
    expect(count('lead-6', '2030-01-08T00:00:00.000Z')).toBe(1);
  });
});

describe('seed 001 (scenario 1) with a schedule covering all its times', () => {
  const capturedAround = new Date('2030-03-02T12:00:00.000Z');
  const rows = generateLeadRows({
    seed: 'scenario-1',
    count: 3000,
    vertical: 'eyewear',
    capturedAround,
    badShare: 0,
    duplicateShare: 0,
  }).rows;

  /** Listings spread in time, as posted leads arrive: one every `spreadMinutes`, a clock tick every 10. */
  function play(orderEvent: MarketInputEvent, spreadMinutes: number): MarketOutput[] {
    const engine = new MarketEngine({ vertical: 'eyewear' });
    const listings = rows.map((row, i) =>
      leadListedFromRow(row, 'eyewear', { leadId: `lead-${i}`, floor: 60000 }),
    );
    const outputs: MarketOutput[] = [];
    let position = 0;
    const apply = (event: MarketInputEvent, at: string) =>
      outputs.push(...engine.apply({ position: `1/${++position}`, at, event } satisfies MarketInput));
    [settings(), orderEvent, ...listings].forEach((event, index) => {
      const at = new Date(capturedAround.getTime() + index * spreadMinutes * 60_000).toISOString();
      if (index % 10 === 0) apply(tick(at), at);
      apply(event, at);
    });
    return outputs;
  }

  it('ends with the same allocations, prices and closing figures as without a schedule', () => {
    const plain = orderPlacedFromSpec(scenarioOneOrder(), 'order-glasses', 'buyer-optics');
    const scheduled = {
      ...plain,
      data: {
        ...plain.data,
        schedule: {
          timeZone: 'Europe/Moscow',
          windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00' }],
        },
      },
    } as MarketInputEvent;
    const without = play(plain, 0.1);
    const withSchedule = play(scheduled, 0.1);
    expect(allocations(without)).toHaveLength(50);
    expect(withSchedule).toEqual(without);
  });

  it('a schedule covering only part of the day buys only inside it, and still fills in the end', () => {
    const plain = orderPlacedFromSpec(scenarioOneOrder(), 'order-glasses', 'buyer-optics');
    const mornings = {
      ...plain,
      data: {
        ...plain.data,
        schedule: {
          timeZone: 'Europe/Moscow',
          windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '09:00', to: '13:00' }],
        },
      },
    } as MarketInputEvent;
    const bought = allocations(play(mornings, 1));
    expect(bought).toHaveLength(50);
    for (const allocation of bought) {
      const moscowHour = (new Date(allocation.at).getUTCHours() + 3) % 24;
      expect(moscowHour >= 9 && moscowHour < 13).toBe(true);
    }
  });
});

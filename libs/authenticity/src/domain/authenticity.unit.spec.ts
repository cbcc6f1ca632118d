import { describe, expect, it } from '@jest/globals';
import { sellerHistoryScore } from '#lx/contracts';
import {
  authenticitySampleDecider as decider,
  failuresExceed,
  type AuthenticityEvent,
} from './authenticity-sample.decider.js';
import { checkedLeadQuality } from './checked-quality.js';
import { drawRank, drawSample, sampleSize } from './sampling.js';
import { foldEvents } from '#lx/event-sourcing';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `lead-${String(i).padStart(4, '0')}`);
const context = { now: new Date('2030-01-01T00:00:00Z'), newId: () => 'unused' };

describe('sample size', () => {
  it('is the share of the accepted leads, rounded up, at least the minimum, at most the batch', () => {
    const settings = { samplePercent: 2, sampleMin: 3 };
    expect(sampleSize(1000, settings)).toBe(20);
    expect(sampleSize(1001, settings)).toBe(21);
    expect(sampleSize(100, settings)).toBe(3);
    expect(sampleSize(2, settings)).toBe(2);
    expect(sampleSize(0, settings)).toBe(0);
  });

  it('is zero when the market turns sampling off', () => {
    expect(sampleSize(1000, { samplePercent: 0, sampleMin: 3 })).toBe(0);
  });
});

describe('drawing a sample', () => {
  it('ranks by sha-256 of batch|lead, whatever order the ids come in', () => {
    const leads = ids(200);
    const drawn = drawSample('batch-a', leads, 5);
    expect(drawn).toHaveLength(5);
    expect(drawSample('batch-a', [...leads].reverse(), 5)).toEqual(drawn);
    const ranks = drawn.map((leadId) => drawRank('batch-a', leadId));
    expect([...ranks].sort()).toEqual(ranks);
    const worst = ranks.at(-1)!;
    // No lead left out ranks before the last one drawn.
    for (const leadId of leads.filter((id) => !drawn.includes(id)))
      expect(drawRank('batch-a', leadId) > worst).toBe(true);
  });

  it('is seeded by the batch: another batch of the same ids draws other leads', () => {
    const leads = ids(200);
    expect(drawSample('batch-b', leads, 5)).not.toEqual(drawSample('batch-a', leads, 5));
  });

  it('draws each lead once', () => {
    expect(drawSample('batch-a', ['x', 'x', 'y'], 3)).toHaveLength(2);
  });
});

describe('the sample of a batch', () => {
  const drawn = {
    batchId: 'batch-1',
    sellerId: 'seller-1',
    vertical: 'eyewear',
    rule: 'sha256-batch-lead-v1' as const,
    population: 100,
    samplePercent: 2,
    sampleMin: 5,
    holdThresholdPercent: 20,
    leadIds: ['l1', 'l2', 'l3', 'l4', 'l5'],
  };
  const answer = (leadId: string, outcome: 'confirmed' | 'unreachable' | 'denied') => ({
    type: 'AnswerCheck' as const,
    answer: {
      batchId: 'batch-1',
      leadId,
      outcome,
      evidence: 'called twice',
      answeredBy: { kind: 'staff' as const, id: 'op-1' },
    },
  });
  const run = (commands: ReturnType<typeof answer>[]) => {
    let events: AuthenticityEvent[] = [{ type: 'AuthenticitySampleDrawn', data: drawn }];
    for (const command of commands)
      events = [...events, ...decider.decide(command, foldEvents(decider, events), context)];
    return { events, state: foldEvents(decider, events) };
  };

  it('holds the batch at the answer that takes the failures above the threshold', () => {
    // 20 % of 5 is one failure: within; the second exceeds it.
    expect(failuresExceed(1, 5, 20)).toBe(false);
    expect(failuresExceed(2, 5, 20)).toBe(true);
    const one = run([answer('l1', 'unreachable')]);
    expect(one.state.status).toBe('sampling');
    const two = run([answer('l1', 'unreachable'), answer('l2', 'denied')]);
    expect(two.state.status).toBe('held');
    expect(two.events.at(-1)).toMatchObject({
      type: 'AuthenticitySampleHeld',
      data: { sampled: 5, answered: 2, failed: 2, confirmed: 0 },
    });
  });

  it('passes when every check is answered within the threshold', () => {
    const { state, events } = run([
      answer('l1', 'confirmed'),
      answer('l2', 'confirmed'),
      answer('l3', 'unreachable'),
      answer('l4', 'confirmed'),
      answer('l5', 'confirmed'),
    ]);
    expect(state.status).toBe('passed');
    expect(events.filter((event) => event.type === 'AuthenticitySamplePassed')).toHaveLength(1);
  });

  it('refuses a second answer and a lead not drawn', () => {
    const { state } = run([answer('l1', 'confirmed')]);
    expect(() => decider.decide(answer('l1', 'denied'), state, context)).toThrow(
      expect.objectContaining({ code: 'authenticity-check-answered' }),
    );
    expect(() => decider.decide(answer('l9', 'denied'), state, context)).toThrow(
      expect.objectContaining({ code: 'authenticity-task-not-found' }),
    );
  });

  it('is decided by an operator only while held, once', () => {
    const release = {
      type: 'DecideHold' as const,
      batchId: 'batch-1',
      decision: 'released' as const,
      operatorId: 'op-1',
      note: 'seller explained',
    };
    const sampling = run([answer('l1', 'confirmed')]).state;
    expect(() => decider.decide(release, sampling, context)).toThrow(
      expect.objectContaining({ code: 'authenticity-not-held' }),
    );
    const heldState = run([answer('l1', 'denied'), answer('l2', 'denied')]).state;
    const [decided] = decider.decide(release, heldState, context);
    expect(decided).toMatchObject({ type: 'AuthenticityHoldDecided', data: { decision: 'released' } });
    const after = foldEvents(decider, [decided!], heldState);
    expect(after.status).toBe('released');
    expect(() => decider.decide(release, after, context)).toThrow(
      expect.objectContaining({ code: 'authenticity-not-held' }),
    );
    // Answers after the decision are recorded and change nothing else.
    expect(decider.decide(answer('l3', 'confirmed'), after, context).map((event) => event.type)).toEqual([
      'AuthenticityCheckAnswered',
    ]);
  });

  it('is drawn once', () => {
    const state = run([]).state;
    expect(decider.decide({ type: 'DrawSample', drawn }, state, context)).toEqual([]);
  });
});

describe('quality', () => {
  it('a confirmed check raises the lead’s score, an unreachable one lowers it, a denial zeroes it', () => {
    expect(checkedLeadQuality(70, 'confirmed')).toBe(85);
    expect(checkedLeadQuality(95, 'confirmed')).toBe(100);
    expect(checkedLeadQuality(70, 'unreachable')).toBe(40);
    expect(checkedLeadQuality(70, 'denied')).toBe(0);
  });

  it('the seller’s score moves with its checks and is unchanged without any', () => {
    const record = { sold: 40, returned: 4, conversions: 10 };
    const base = sellerHistoryScore(record);
    expect(sellerHistoryScore({ ...record, checksConfirmed: 0, checksFailed: 0 })).toBe(base);
    expect(sellerHistoryScore({ ...record, checksConfirmed: 10, checksFailed: 0 })).toBeGreaterThan(base);
    expect(sellerHistoryScore({ ...record, checksConfirmed: 0, checksFailed: 10 })).toBeLessThan(base);
    // A new seller whose every checked lead was denied ends far below neutral.
    expect(sellerHistoryScore({ sold: 0, returned: 0, conversions: 0, checksFailed: 30 })).toBeLessThan(20);
  });
});

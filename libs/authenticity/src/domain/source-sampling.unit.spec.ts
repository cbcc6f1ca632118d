import { describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { foldEvents } from '#lx/event-sourcing';
import {
  authenticitySourceDecider as decider,
  type AuthenticitySourceCommand,
  type AuthenticitySourceEvent,
  type SourceCandidate,
} from './authenticity-source.decider.js';
import { AuthenticitySourceNotHeld, AuthenticityTaskNotFound } from './errors.js';
import {
  sourceDrawReason,
  sourceDrawValue,
  sourceHoldMinAnswered,
  sourceSampleId,
} from './source-sampling.js';

const context = { now: new Date('2030-01-01T00:00:00Z'), newId: () => 'unused' };
const source = {
  sourceId: sourceSampleId('eyewear', 'seller-1', 'google'),
  vertical: 'eyewear',
  sellerId: 'seller-1',
  source: 'google',
};
const settings = { samplePercent: 10, sampleMin: 3, holdThresholdPercent: 20 };
const leadId = (i: number) => `lead-${String(i).padStart(5, '0')}`;
const candidates = (from: number, to: number): SourceCandidate[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    leadId: leadId(from + i),
    batchId: 'batch-1',
    ordinal: from + i,
  }));

describe('the source draw rule (sha256-source-lead-v1)', () => {
  it('draws a source’s first sampleMin leads, whatever their hash', () => {
    for (let ordinal = 1; ordinal <= 3; ordinal++)
      expect(
        sourceDrawReason({ sellerId: 's', source: 'a', leadId: leadId(ordinal), ordinal }, settings),
      ).toBe('first');
  });

  it('after them, draws a lead when the first 32 bits of sha-256 of seller|source|lead fall under the share', () => {
    for (let i = 4; i < 400; i++) {
      const lead = { sellerId: 'seller-1', source: 'google', leadId: leadId(i), ordinal: i };
      // An auditor's own reading of the published rule.
      const value = parseInt(
        createHash('sha256')
          .update(`seller-1|google|${leadId(i)}`)
          .digest('hex')
          .slice(0, 8),
        16,
      );
      expect(sourceDrawValue('seller-1', 'google', leadId(i))).toBe(value);
      expect(sourceDrawReason(lead, settings)).toBe(value / 2 ** 32 < 0.1 ? 'share' : null);
    }
  });

  it('draws about the share of a long source', () => {
    let drawn = 0;
    for (let i = 4; i < 20_004; i++)
      if (sourceDrawReason({ sellerId: 'seller-1', source: null, leadId: leadId(i), ordinal: i }, settings))
        drawn++;
    expect(drawn).toBeGreaterThan(1_800);
    expect(drawn).toBeLessThan(2_200);
  });

  it('draws nothing when the market does not sample sources, and everything at 100 %', () => {
    const lead = { sellerId: 's', source: 'a', leadId: 'l', ordinal: 1 };
    expect(sourceDrawReason(lead, { samplePercent: 0, sampleMin: 3 })).toBeNull();
    expect(sourceDrawReason({ ...lead, ordinal: 99 }, { samplePercent: 100, sampleMin: 0 })).toBe('share');
  });

  it('keys a source by market, seller and tag; an untagged lead is the seller’s untagged source', () => {
    expect(sourceSampleId('eyewear', 'seller-1', 'google')).toBe(
      sourceSampleId('eyewear', 'seller-1', 'google'),
    );
    expect(
      new Set([
        sourceSampleId('eyewear', 'seller-1', 'google'),
        sourceSampleId('eyewear', 'seller-2', 'google'),
        sourceSampleId('optics', 'seller-1', 'google'),
        sourceSampleId('eyewear', 'seller-1', null),
      ]).size,
    ).toBe(4);
  });

  it('judges a source on at least three answered checks, or the market’s minimum if larger', () => {
    expect(sourceHoldMinAnswered(1)).toBe(3);
    expect(sourceHoldMinAnswered(5)).toBe(5);
  });
});

const draw = (
  list: readonly SourceCandidate[],
  over: Partial<typeof settings> = {},
): AuthenticitySourceCommand => ({
  type: 'DrawSourceLeads',
  source,
  settings: { ...settings, ...over },
  candidates: list,
});
const answer = (
  id: string,
  outcome: 'confirmed' | 'unreachable' | 'denied',
  recordedOn: 'source' | 'batch' = 'source',
) => ({
  type: 'AnswerSourceCheck' as const,
  answer: {
    batchId: 'batch-1',
    leadId: id,
    outcome,
    evidence: 'called twice',
    answeredBy: { kind: 'staff' as const, id: 'op-1' },
  },
  recordedOn,
});
const run = (commands: readonly AuthenticitySourceCommand[]) => {
  const events: AuthenticitySourceEvent[] = [];
  for (const command of commands)
    events.push(...decider.decide(command, foldEvents(decider, events), context));
  return { events, state: foldEvents(decider, events) };
};
const drawnIds = (events: readonly AuthenticitySourceEvent[]) =>
  events.flatMap((event) =>
    event.type === 'AuthenticitySourceLeadsDrawn' ? event.data.leads.map((lead) => lead.leadId) : [],
  );

describe('the draws of a source', () => {
  it('records the rule, the settings and each drawn lead with its place and reason', () => {
    const { events } = run([draw(candidates(1, 50))]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'AuthenticitySourceLeadsDrawn',
      data: { ...source, rule: 'sha256-source-lead-v1', samplePercent: 10, sampleMin: 3, holdMinAnswered: 3 },
    });
    const leads = (events[0]!.data as { leads: { ordinal: number; reason: string }[] }).leads;
    expect(leads.slice(0, 3)).toMatchObject([
      { ordinal: 1, reason: 'first' },
      { ordinal: 2, reason: 'first' },
      { ordinal: 3, reason: 'first' },
    ]);
    expect(leads.slice(3).every((lead) => lead.reason === 'share')).toBe(true);
  });

  it('draws the same leads however the listings are split into draws and ordered, each once (property)', () => {
    const all = candidates(1, 120);
    const whole = drawnIds(run([draw(all)]).events).sort();
    fc.assert(
      fc.property(
        fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }),
        fc.array(fc.integer({ min: 1, max: 119 }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 3 }),
        (shuffled, cuts, repeats) => {
          const bounds = [0, ...[...new Set(cuts)].sort((a, b) => a - b), shuffled.length];
          const draws = bounds.slice(1).map((end, i) => draw(shuffled.slice(bounds[i], end)));
          // A draw delivered again (the subscription redelivers) draws nothing more.
          const again = draws.slice(0, repeats);
          const drawn = drawnIds(run([...draws, ...again]).events);
          expect(new Set(drawn).size).toBe(drawn.length);
          expect([...drawn].sort()).toEqual(whole);
        },
      ),
    );
  });

  it('draws nothing from a market that does not sample sources', () => {
    expect(run([draw(candidates(1, 10), { samplePercent: 0 })]).events).toEqual([]);
  });
});

describe('the record of a source', () => {
  const firstThree = draw(candidates(1, 3));

  it('holds the source when, with enough checks answered, failures exceed the threshold', () => {
    const { events, state } = run([
      firstThree,
      answer(leadId(1), 'unreachable'),
      answer(leadId(2), 'confirmed'),
    ]);
    // Two answered of three needed: nothing decided yet, whatever the failures.
    expect(events.map((event) => event.type)).toEqual([
      'AuthenticitySourceLeadsDrawn',
      'AuthenticityCheckAnswered',
      'AuthenticityCheckAnswered',
    ]);
    expect(state.status).toBe('sampling');
    const third = decider.decide(answer(leadId(3), 'confirmed'), state, context);
    // 1 failed of 3 = 33 % > 20 %.
    expect(third.map((event) => event.type)).toEqual(['AuthenticityCheckAnswered', 'AuthenticitySourceHeld']);
    expect(third[1]!.data).toMatchObject({
      ...source,
      answered: 3,
      confirmed: 2,
      failed: 1,
      holdThresholdPercent: 20,
      holdMinAnswered: 3,
    });
  });

  it('verifies the source once when enough checks pass, and says nothing more while they keep passing', () => {
    const { events, state } = run([
      draw(candidates(1, 60)),
      answer(leadId(1), 'confirmed'),
      answer(leadId(2), 'confirmed'),
      answer(leadId(3), 'confirmed'),
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'AuthenticitySourceVerified',
      data: { answered: 3, failed: 0 },
    });
    expect(state.status).toBe('verified');
    const later = drawnIds(events).find((id) => id > leadId(3))!;
    expect(decider.decide(answer(later, 'confirmed'), state, context).map((event) => event.type)).toEqual([
      'AuthenticityCheckAnswered',
    ]);
    // A verified source whose failures later exceed the threshold is held: 1 of 4 = 25 % > 20 %.
    const failed = decider.decide(answer(later, 'denied'), state, context);
    expect(failed.map((event) => event.type)).toEqual([
      'AuthenticityCheckAnswered',
      'AuthenticitySourceHeld',
    ]);
  });

  it('counts an answer recorded on the batch’s stream once, without the evidence', () => {
    const { events, state } = run([
      firstThree,
      answer(leadId(1), 'denied', 'batch'),
      answer(leadId(1), 'denied', 'batch'),
    ]);
    expect(events.map((event) => event.type)).toEqual([
      'AuthenticitySourceLeadsDrawn',
      'AuthenticitySourceCheckCounted',
    ]);
    expect(events[1]!.data).toEqual({ ...source, leadId: leadId(1), batchId: 'batch-1', outcome: 'denied' });
    expect(state.record).toEqual({ answered: 1, confirmed: 0, failed: 1 });
    // A lead this source did not draw: nothing to count from the batch, no task of its own.
    expect(decider.decide(answer('other', 'denied', 'batch'), state, context)).toEqual([]);
    expect(() => decider.decide(answer('other', 'denied'), state, context)).toThrow(AuthenticityTaskNotFound);
  });

  it('refuses a second answer to the same check', () => {
    const { state } = run([firstThree, answer(leadId(1), 'confirmed')]);
    expect(() => decider.decide(answer(leadId(1), 'denied'), state, context)).toThrow(/already answered/);
  });

  it('is decided only while held; a release starts its record again, a withdrawal is final', () => {
    const decide = (decision: 'released' | 'withdrawn') => ({
      type: 'DecideSourceHold' as const,
      sourceId: source.sourceId,
      decision,
      operatorId: 'op-1',
      note: 'called the seller',
    });
    const sampling = run([firstThree]).state;
    expect(() => decider.decide(decide('released'), sampling, context)).toThrow(AuthenticitySourceNotHeld);
    const held = run([
      draw(candidates(1, 60)),
      answer(leadId(1), 'denied'),
      answer(leadId(2), 'denied'),
      answer(leadId(3), 'denied'),
    ]);
    expect(held.state.status).toBe('held');
    const released = run([
      draw(candidates(1, 60)),
      answer(leadId(1), 'denied'),
      answer(leadId(2), 'denied'),
      answer(leadId(3), 'denied'),
      decide('released'),
    ]);
    expect(released.events.at(-1)).toMatchObject({
      type: 'AuthenticitySourceHoldDecided',
      data: { ...source, decision: 'released' },
    });
    expect(released.state).toMatchObject({ status: 'released', record: { answered: 0, failed: 0 } });
    const withdrawn = foldEvents(decider, [
      ...held.events,
      ...decider.decide(decide('withdrawn'), held.state, context),
    ]);
    expect(withdrawn.status).toBe('withdrawn');
    expect(() => decider.decide(decide('released'), withdrawn, context)).toThrow(AuthenticitySourceNotHeld);
  });
});

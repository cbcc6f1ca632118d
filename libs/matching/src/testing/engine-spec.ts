import { expect } from '@jest/globals';
import { MarketEngine } from '../domain/market-engine.js';
import type { MarketInputEvent, MarketOutput } from '../domain/market-model.js';
import { InputLog, T0 } from './market-fixtures.js';

/** An output with only the fields worth asserting (matched with `toMatchObject`). */
export type ExpectedOutput = { type: MarketOutput['type']; data?: Record<string, unknown> };

type TimedEvent = MarketInputEvent | { event: MarketInputEvent; at: string };

/**
 * Given/when/then over the engine: `given` inputs are folded (their outputs ignored), `when` is
 * one more input, and `then` compares its outputs (or a matcher over them).
 */
export function engineSpec(vertical = 'eyewear') {
  const log = new InputLog();
  const feed = (engine: MarketEngine, item: TimedEvent) =>
    'event' in item && 'at' in item && !('type' in item)
      ? engine.apply(log.input(item.event, item.at))
      : engine.apply(log.input(item as MarketInputEvent, T0));
  return {
    given: (given: readonly TimedEvent[] = []) => ({
      when: (when: TimedEvent) => {
        const engine = new MarketEngine({ vertical });
        for (const item of given) feed(engine, item);
        const outputs = feed(engine, when);
        return {
          outputs,
          then(expected: readonly ExpectedOutput[] | ((outputs: MarketOutput[]) => void)) {
            if (typeof expected === 'function') expected(outputs);
            else expect(outputs).toMatchObject(expected as MarketOutput[]);
          },
        };
      },
    }),
  };
}

export const at = (instant: string, event: MarketInputEvent) => ({ event, at: instant });

/** The sales among an engine's outputs, as their `LeadAllocated` data. */
export const allocations = (outputs: MarketOutput[]) =>
  outputs.filter((output) => output.type === 'LeadAllocated').map((output) => output.data);

import type { EventTypeRegistry } from '#lx/event-store';
import type { Decider } from '../decider.js';
import { DomainError } from '../domain-error.js';

/**
 * A tiny example domain for the tests of this library: a counter on `counter-<id>` that can be
 * incremented up to a limit and reset.
 */
export type CounterEvent =
  | { type: 'CounterIncremented'; data: { incrementId: string; by: number; at: string } }
  | { type: 'CounterReset'; data: { at: string } };

export type CounterCommand = { kind: 'increment'; by: number } | { kind: 'reset' };

export interface CounterState {
  value: number;
}

export const COUNTER_LIMIT = 1000;

export class InvalidIncrement extends DomainError {
  readonly code = 'invalid-increment';
  constructor(by: number) {
    super(`An increment must be a positive integer, got ${by}`, { by });
  }
}

export class CounterLimitExceeded extends DomainError {
  readonly code = 'counter-limit-exceeded';
  constructor(value: number, by: number) {
    super(`Counter at ${value} cannot grow by ${by} past ${COUNTER_LIMIT}`, {
      value,
      by,
      limit: COUNTER_LIMIT,
    });
  }
}

export const counterDecider: Decider<CounterState, CounterCommand, CounterEvent> = {
  initialState: { value: 0 },
  evolve: (state, event) => {
    switch (event.type) {
      case 'CounterIncremented':
        return { value: state.value + event.data.by };
      case 'CounterReset':
        return { value: 0 };
    }
  },
  decide: (command, state, { now, newId }) => {
    switch (command.kind) {
      case 'increment':
        if (!Number.isInteger(command.by) || command.by <= 0) throw new InvalidIncrement(command.by);
        if (state.value + command.by > COUNTER_LIMIT) throw new CounterLimitExceeded(state.value, command.by);
        return [
          {
            type: 'CounterIncremented',
            data: { incrementId: newId(), by: command.by, at: now.toISOString() },
          },
        ];
      case 'reset':
        // Resetting a counter at zero changes nothing: no event.
        return state.value === 0 ? [] : [{ type: 'CounterReset', data: { at: now.toISOString() } }];
    }
  },
};

export const counterCatalogue: EventTypeRegistry = {
  describe: (type) =>
    type === 'CounterIncremented' || type === 'CounterReset'
      ? { type, schemaVersion: 1, categories: ['counter'], validate: (data) => ({ ok: true, value: data }) }
      : undefined,
};

import { expect } from '@jest/globals';
import { foldEvents, type DecisionContext, type Decider, type DomainEvent } from '../decider.js';

type ErrorClass = abstract new (...args: never[]) => Error;

/** What a command should produce: these events (in order), or an error of this class / like this one. */
export type Expectation<Event> = readonly Event[] | ErrorClass | Error;

export interface DeciderSpecification<Command, Event> {
  given(events?: readonly Event[]): {
    when(command: Command): { then(expected: Expectation<Event>): void };
  };
}

/** A fixed instant and sequential UUID-shaped ids, so that expected events can be written out in full. */
export function fixedDecisionContext(now = new Date('2030-01-01T00:00:00.000Z')): DecisionContext {
  let next = 0;
  return { now, newId: () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}` };
}

/**
 * Given/when/then over a decider, without a database:
 *
 *   const spec = deciderSpec(counterDecider);
 *   spec.given([incremented(1)]).when({ kind: 'increment', by: 2 }).then([incremented(2)]);
 *   spec.given([]).when({ kind: 'increment', by: 0 }).then(InvalidIncrement);
 *
 * Each `when` decides with a fresh `context()` (default: `fixedDecisionContext()`).
 */
export function deciderSpec<State, Command, Event extends DomainEvent>(
  decider: Decider<State, Command, Event>,
  context: () => DecisionContext = () => fixedDecisionContext(),
): DeciderSpecification<Command, Event> {
  return {
    given: (events = []) => ({
      when: (command) => ({
        then: (expected) => {
          const decide = () => decider.decide(command, foldEvents(decider, events), context());
          if (Array.isArray(expected)) expect(decide()).toEqual(expected);
          else if (expected instanceof Error) expectToThrowLike(decide, expected);
          else expect(decide).toThrow(expected as ErrorClass);
        },
      }),
    }),
  };
}

function expectToThrowLike(decide: () => unknown, expected: Error): void {
  let thrown: unknown = undefined;
  try {
    decide();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(expected.constructor);
  // Jest compares errors by message only; a domain error's code and details matter as much.
  expect(ownFields(thrown)).toEqual(ownFields(expected));
}

function ownFields(error: unknown): Record<string, unknown> {
  return { ...(error as object), message: (error as Error).message };
}

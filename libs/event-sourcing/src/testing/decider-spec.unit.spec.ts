import { describe, expect, it } from '@jest/globals';
import { DomainError } from '../domain-error.js';
import { deciderSpec, fixedDecisionContext } from './decider-spec.js';
import {
  CounterLimitExceeded,
  InvalidIncrement,
  counterDecider,
  type CounterEvent,
} from './counter.example.js';

const at = '2030-01-01T00:00:00.000Z';
const incremented = (by: number, n = 1, when = at): CounterEvent => ({
  type: 'CounterIncremented',
  data: { incrementId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, by, at: when },
});

describe('deciderSpec (given/when/then)', () => {
  const spec = deciderSpec(counterDecider);

  it('passes when the command produces exactly the expected events', () => {
    spec
      .given([])
      .when({ kind: 'increment', by: 2 })
      .then([incremented(2)]);
    spec
      .given([incremented(2), incremented(3)])
      .when({ kind: 'reset' })
      .then([{ type: 'CounterReset', data: { at } }]);
    spec
      .given([incremented(2), { type: 'CounterReset', data: { at } }])
      .when({ kind: 'reset' })
      .then([]);
  });

  it('passes when the command throws the expected error, by class or by value', () => {
    spec.given().when({ kind: 'increment', by: 0 }).then(InvalidIncrement);
    spec
      .given([incremented(999)])
      .when({ kind: 'increment', by: 2 })
      .then(new CounterLimitExceeded(999, 2));
  });

  it('fails when the events differ, or an error was expected but events came', () => {
    expect(() =>
      spec
        .given()
        .when({ kind: 'increment', by: 2 })
        .then([incremented(3)]),
    ).toThrow();
    expect(() => spec.given().when({ kind: 'increment', by: 2 }).then([])).toThrow();
    expect(() => spec.given().when({ kind: 'increment', by: 2 }).then(InvalidIncrement)).toThrow();
    expect(() => spec.given().when({ kind: 'increment', by: 2 }).then(new InvalidIncrement(2))).toThrow();
  });

  it('fails when another error, or the same error with other details, is thrown', () => {
    expect(() => spec.given().when({ kind: 'increment', by: -1 }).then(CounterLimitExceeded)).toThrow();
    expect(() =>
      spec
        .given([incremented(999)])
        .when({ kind: 'increment', by: 2 })
        .then(new CounterLimitExceeded(998, 2)),
    ).toThrow();
    class Refused extends DomainError {
      readonly code = 'refused';
    }
    const refusing: typeof counterDecider = {
      ...counterDecider,
      decide: () => {
        throw new Refused('no', { why: 'closed' });
      },
    };
    expect(() =>
      deciderSpec(refusing)
        .given()
        .when({ kind: 'reset' })
        .then(new Refused('no', { why: 'full' })),
    ).toThrow();
    deciderSpec(refusing)
      .given()
      .when({ kind: 'reset' })
      .then(new Refused('no', { why: 'closed' }));
    // An unexpected error surfaces as itself, not as a vague mismatch.
    expect(() => spec.given().when({ kind: 'increment', by: -1 }).then([])).toThrow(InvalidIncrement);
  });

  it('injects time and ids through the context, never the global clock', () => {
    const later = deciderSpec(counterDecider, () =>
      fixedDecisionContext(new Date('2031-05-06T07:08:09.000Z')),
    );
    later
      .given()
      .when({ kind: 'increment', by: 1 })
      .then([incremented(1, 1, '2031-05-06T07:08:09.000Z')]);
  });
});

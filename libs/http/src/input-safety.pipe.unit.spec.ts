import { describe, expect, it } from '@jest/globals';
import { IdPipe } from './id-param.js';
import { InputSafetyPipe } from './input-safety.pipe.js';
import { ProblemException } from './problem-details.js';

const pipe = new InputSafetyPipe();
const outcome = (run: () => unknown) => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return error instanceof ProblemException ? error.code : error;
  }
};
const body = (value: unknown) => outcome(() => pipe.transform(value, { type: 'body' }));

describe('InputSafetyPipe: what no route may receive', () => {
  it('refuses prototype keys at any depth', () => {
    for (const raw of [
      '{"__proto__":{"admin":true}}',
      '{"constructor":{"prototype":{}}}',
      '{"terms":[{"prototype":1}]}',
    ])
      expect(body(JSON.parse(raw))).toBe('forbidden-key');
  });

  it('refuses text PostgreSQL cannot store: NUL and unpaired surrogates, in values and keys', () => {
    for (const value of [{ name: 'a\u0000b' }, { list: ['\ud800'] }, { '\udc00': 1 }, 'x\u0000'])
      expect(body(value)).toBe('invalid-characters');
    expect(outcome(() => pipe.transform('a\u0000b', { type: 'param', data: 'orderId' }))).toBe(
      'invalid-characters',
    );
    expect(outcome(() => pipe.transform({ cursor: '\u0000' }, { type: 'query' }))).toBe('invalid-characters');
  });

  it('lets ordinary input through, paired surrogates (emoji) included', () => {
    expect(body({ name: 'Анна 😀', nested: { list: [1, 'two', null] } })).toBe('accepted');
  });
});

describe('IdPipe', () => {
  it('accepts an id of its format and refuses anything else with 400 invalid-id', () => {
    const uuid = new IdPipe('orderId', 'uuid');
    expect(uuid.transform('0b5e7f0e-1d6b-4c1e-9a57-1f9e2a3b4c5d')).toBe(
      '0b5e7f0e-1d6b-4c1e-9a57-1f9e2a3b4c5d',
    );
    for (const id of ['any-string', '', "1' OR 1=1", '0b5e7f0e-1d6b-4c1e-9a57-1f9e2a3b4c5d\u0000'])
      expect(outcome(() => uuid.transform(id))).toBe('invalid-id');
    expect(
      outcome(() => new IdPipe('id', 'reference').transform('0b5e7f0e-1d6b-4c1e-9a57-1f9e2a3b4c5d.2')),
    ).toBe('accepted');
  });
});

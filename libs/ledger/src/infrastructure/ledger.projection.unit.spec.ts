import { describe, expect, it } from '@jest/globals';
import { LEDGER_EVENT_TYPES } from '../domain/ledger-postings.js';
import { ledgerProjection } from './ledger.projection.js';

describe('the ledger projection', () => {
  it('handles exactly the events that move money, one handler each', () => {
    expect([...(ledgerProjection.filter.eventTypes ?? [])].sort()).toEqual([...LEDGER_EVENT_TYPES].sort());
    expect(ledgerProjection.filter.streamCategories).toBeUndefined();
  });
});

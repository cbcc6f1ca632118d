import { describe, it } from '@jest/globals';
import { deciderSpec, fixedDecisionContext } from '#lx/spec-helpers';
import { CONVERSION_CLOCK_SKEW_MS, conversionDecider, ConversionError } from './conversion.js';

const now = new Date('2030-01-01T00:00:00.000Z');
const spec = deciderSpec(conversionDecider, () => fixedDecisionContext(now));
const allocatedAt = '2029-12-01T00:00:00.000Z';
const report = (at: string) => ({
  conversion: { allocationId: 'a1', buyerId: 'b1', at },
  allocatedAt,
});
const at = (ms: number) => new Date(ms).toISOString();

describe('conversionDecider: a conversion is dated between the purchase and now', () => {
  it('accepts a conversion at the purchase, now, or within the clock skew ahead', () => {
    for (const when of [allocatedAt, now.toISOString(), at(now.getTime() + CONVERSION_CLOCK_SKEW_MS)])
      spec
        .given([])
        .when(report(when))
        .then([{ type: 'ConversionReported', data: report(when).conversion }]);
  });

  it('refuses a conversion dated in the future beyond the clock skew, e.g. in year 9999', () => {
    for (const when of [at(now.getTime() + CONVERSION_CLOCK_SKEW_MS + 1), '9999-12-31T23:59:59.999Z'])
      spec
        .given([])
        .when(report(when))
        .then(new ConversionError('conversion-in-the-future', 'A conversion cannot be dated in the future'));
  });

  it('refuses a conversion before the purchase', () => {
    spec.given([]).when(report('2029-11-30T23:59:59.999Z')).then(ConversionError);
  });
});

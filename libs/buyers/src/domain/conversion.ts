import type { DecisionContext, Decider } from '#lx/event-sourcing';
import { DomainError } from '#lx/event-sourcing';
import type { ConversionReported, EventData } from '#lx/contracts';

/** `conversion-<allocationId>`: a purchased lead converts once; its report cannot be rewritten. */
export type ConversionData = EventData<typeof ConversionReported>;

export class ConversionError extends DomainError {
  constructor(
    readonly code: 'conversion-exists' | 'conversion-before-purchase' | 'conversion-in-the-future',
    message: string,
  ) {
    super(message);
  }
}

/** How far a buyer's clock may run ahead of the exchange's when it dates a conversion. */
export const CONVERSION_CLOCK_SKEW_MS = 5 * 60_000;

export interface ReportConversion {
  conversion: ConversionData;
  allocatedAt: string;
}

export const conversionDecider: Decider<
  { reported: boolean },
  ReportConversion,
  { readonly type: 'ConversionReported'; readonly data: ConversionData }
> = {
  initialState: { reported: false },
  evolve: () => ({ reported: true }),
  decide: (command, state, { now }: DecisionContext) => {
    if (state.reported)
      throw new ConversionError('conversion-exists', 'This lead’s conversion was reported already');
    if (Date.parse(command.conversion.at) < Date.parse(command.allocatedAt))
      throw new ConversionError('conversion-before-purchase', 'A lead cannot convert before it was bought');
    if (Date.parse(command.conversion.at) > now.getTime() + CONVERSION_CLOCK_SKEW_MS)
      throw new ConversionError('conversion-in-the-future', 'A conversion cannot be dated in the future');
    return [{ type: 'ConversionReported', data: command.conversion }];
  },
};

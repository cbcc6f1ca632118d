import type { Decider } from '#lx/event-sourcing';
import { DomainError } from '#lx/event-sourcing';
import type { ConversionReported, EventData } from '#lx/contracts';

/** `conversion-<allocationId>`: a purchased lead converts once; its report cannot be rewritten. */
export type ConversionData = EventData<typeof ConversionReported>;

export class ConversionError extends DomainError {
  constructor(
    readonly code: 'conversion-exists' | 'conversion-before-purchase',
    message: string,
  ) {
    super(message);
  }
}

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
  decide: (command, state) => {
    if (state.reported)
      throw new ConversionError('conversion-exists', 'This lead’s conversion was reported already');
    if (Date.parse(command.conversion.at) < Date.parse(command.allocatedAt))
      throw new ConversionError('conversion-before-purchase', 'A lead cannot convert before it was bought');
    return [{ type: 'ConversionReported', data: command.conversion }];
  },
};

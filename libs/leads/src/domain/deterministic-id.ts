import { deterministicUuid } from '#lx/contracts';

/** A lead's id from its batch and line: a resumed worker lists the same lead, not a second one. */
export const leadIdFor = (batchId: string, line: number) => deterministicUuid('lead', batchId, line);

import type { EventTypeDescriptor, EventTypeRegistry } from '../event-type-registry.js';

/** A minimal catalogue for the contract suite, independent of the product's event catalogue. */
const descriptors: EventTypeDescriptor[] = [
  {
    type: 'ThingHappened',
    schemaVersion: 1,
    categories: [],
    validate: (data) => {
      const value = data as { n?: unknown; text?: unknown } | null;
      const issues: string[] = [];
      if (typeof value !== 'object' || value === null)
        return { ok: false, issues: ['data: expected an object'] };
      if (!Number.isInteger(value.n)) issues.push('n: expected an integer');
      if (value.text !== undefined && typeof value.text !== 'string') issues.push('text: expected a string');
      const extra = Object.keys(value).filter((key) => key !== 'n' && key !== 'text');
      if (extra.length) issues.push(`unknown keys: ${extra.join(', ')}`);
      return issues.length ? { ok: false, issues } : { ok: true, value };
    },
  },
  {
    type: 'OtherThingHappened',
    schemaVersion: 2,
    categories: ['other'],
    validate: (data) => ({ ok: true, value: data }),
  },
];

export const contractTestCatalogue: EventTypeRegistry = {
  describe: (type) => descriptors.find((d) => d.type === type),
};

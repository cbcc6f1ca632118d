import { z } from 'zod';
import {
  checkOrderTerms,
  DeliverySchedule,
  OrderFilters,
  orderTermsShape,
  type DeliveryScheduleData,
} from '#lx/contracts';
import { validationProblem, type FieldError } from '#lx/http';
import type { OrderTerms } from '../domain/buyer-account.js';
import type { OrderFiltersData } from '../domain/lead-filters.js';

const OrderTermsSchema = z.strictObject(orderTermsShape).superRefine(checkOrderTerms);

/** Parses with the catalogue's schema, the one the event store enforces; every issue becomes a 400 field error. */
function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, prefix = ''): T {
  const parsed = schema.safeParse(JSON.parse(JSON.stringify(value)));
  if (parsed.success) return parsed.data;
  const byField = new Map<string, string[]>();
  for (const issue of parsed.error.issues) {
    const field = prefix + (issue.path.length ? issue.path.map(String).join('.') : '(body)');
    byField.set(field, [...(byField.get(field) ?? []), issue.message]);
  }
  const errors: FieldError[] = [...byField].map(([field, messages]) => ({ field, messages }));
  throw validationProblem(errors);
}

export const toOrderTerms = (body: object): OrderTerms => {
  const { vertical: _vertical, ...terms } = body as Record<string, unknown>;
  return parseOrThrow(OrderTermsSchema, terms);
};

export const toOrderFilters = (filters: object): OrderFiltersData =>
  parseOrThrow(OrderFilters, filters, 'filters.');

export const toDeliverySchedule = (schedule: object): DeliveryScheduleData =>
  parseOrThrow(DeliverySchedule, schedule, 'schedule.');

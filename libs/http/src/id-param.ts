import { Param, type PipeTransform } from '@nestjs/common';
import { ProblemException } from './problem-details.js';

/** The shapes of the ids the API issues; a path id of any other shape is refused before it reaches a query. */
export const ID_FORMATS = {
  uuid: {
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    description: 'a UUID',
  },
  /** An API key's public id: 16 hex digits. */
  apiKeyId: { pattern: /^[0-9a-f]{16}$/, description: 'an API key id (16 hex digits)' },
  /** Ids that are not all UUIDs, e.g. payouts (`<sellerId>.<n>`) on the audit timeline. */
  reference: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,159}$/,
    description: 'an id of letters, digits and _ . : - (at most 160)',
  },
  vertical: { pattern: /^[a-z][a-z0-9_]{0,39}$/, description: 'a lower-case vertical slug' },
} as const;

export type IdFormat = keyof typeof ID_FORMATS;

/** Refuses a path id that is not of its format with a 400 naming the parameter. */
export class IdPipe implements PipeTransform<string, string> {
  constructor(
    private readonly name: string,
    private readonly format: IdFormat,
  ) {}

  transform(value: string): string {
    const { pattern, description } = ID_FORMATS[this.format];
    if (typeof value === 'string' && pattern.test(value)) return value;
    throw new ProblemException(
      400,
      'invalid-id',
      'Invalid id',
      `The path parameter ${this.name} must be ${description}`,
      { errors: [{ field: this.name, messages: [`must be ${description}`] }] },
    );
  }
}

/** `@IdParam('orderId')`: the one way a route takes an id from its path. */
export const IdParam = (name: string, format: IdFormat = 'uuid'): ParameterDecorator =>
  Param(name, new IdPipe(name, format));

import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { ProblemException } from './problem-details.js';

/** Keys that would reach an object's prototype if a body were ever merged into another object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** NUL is refused by PostgreSQL in text and jsonb; a lone surrogate is not encodable as UTF-8. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Runs before validation on every path parameter, query and body: text PostgreSQL cannot store and
 * prototype keys are refused with a 400 naming the field, whatever route they arrive on.
 */
@Injectable()
export class InputSafetyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'param' && metadata.type !== 'query' && metadata.type !== 'body') return value;
    const where = metadata.type === 'param' ? (metadata.data ?? 'path') : metadata.type;
    const problem = findUnsafeInput(value, metadata.data ?? '');
    if (problem)
      throw new ProblemException(400, problem.code, problem.title, `${where}: ${problem.message}`, {
        errors: [{ field: problem.field || where, messages: [problem.message] }],
      });
    return value;
  }
}

interface UnsafeInput {
  code: 'invalid-characters' | 'forbidden-key';
  title: string;
  field: string;
  message: string;
}

/** Walks a parsed value without recursion (its depth is bounded at parse time, but a walk need not rely on it). */
export function findUnsafeInput(value: unknown, root = ''): UnsafeInput | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length > 0) {
    const [current, field] = stack.pop()!;
    if (typeof current === 'string') {
      if (UNSTORABLE.test(current))
        return {
          code: 'invalid-characters',
          title: 'Invalid characters',
          field,
          message: 'contains a NUL character or an unpaired surrogate, which cannot be stored',
        };
    } else if (current !== null && typeof current === 'object' && !Buffer.isBuffer(current)) {
      for (const [key, child] of Object.entries(current)) {
        const path = field ? `${field}.${key}` : key;
        if (FORBIDDEN_KEYS.has(key))
          return {
            code: 'forbidden-key',
            title: 'Forbidden key',
            field: path,
            message: `the key ${key} is not allowed`,
          };
        if (UNSTORABLE.test(key))
          return {
            code: 'invalid-characters',
            title: 'Invalid characters',
            field: path.replace(UNSTORABLE, '?'),
            message: 'a key contains a NUL character or an unpaired surrogate',
          };
        stack.push([child, path]);
      }
    }
  }
  return null;
}

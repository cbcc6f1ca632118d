import { ProblemException } from './problem-details.js';

/** Real bodies nest a few levels; tens of thousands of levels would exhaust the stack of whatever walks them. */
export const MAX_JSON_DEPTH = 32;

/**
 * body-parser's `verify` hook: scans the raw body once, before `JSON.parse`, and refuses one nested
 * deeper than `MAX_JSON_DEPTH`. Brackets inside strings do not count.
 */
export function refuseDeepJson(_request: unknown, _response: unknown, body: Buffer, encoding?: string): void {
  const text = decode(body, encoding);
  const depth = jsonDepth(text, MAX_JSON_DEPTH);
  if (depth > MAX_JSON_DEPTH)
    throw new ProblemException(
      400,
      'body-too-deep',
      'Body nested too deeply',
      `The JSON body nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`,
      { maxDepth: MAX_JSON_DEPTH },
    );
}

function decode(body: Buffer, encoding: string | undefined): string {
  try {
    return new TextDecoder(encoding ?? 'utf-8').decode(body);
  } catch {
    return body.toString('utf8'); // an unknown charset: body-parser refuses it on its own
  }
}

/** The deepest nesting of `[`/`{` in JSON text, counting stops once past `stopAbove`. */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index++;
      else if (character === '"') inString = false;
    } else if (character === '"') inString = true;
    else if (character === '{' || character === '[') {
      deepest = Math.max(deepest, ++depth);
      if (deepest > stopAbove) return deepest;
    } else if (character === '}' || character === ']') depth--;
  }
  return deepest;
}

/** Express's JSON replacer: a bigint (a log position, a count from PostgreSQL) is sent as a decimal string. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

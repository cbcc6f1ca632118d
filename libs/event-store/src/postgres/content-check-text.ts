import { canonicalJson } from '#lx/canonical-json';

/*
 * Verification reads `data` and `metadata` as JSON text and must hash `canonicalJson` of what that
 * text parses to. Parsing builds a whole object tree only for `canonicalJson` to walk it once and
 * drop it (≈ half of a verification's CPU time went to `JSON.parse`, the walk and the collector).
 * `canonicalJsonOfText` writes the same canonical text straight from the JSON text, building only
 * strings; whatever it is not sure to write exactly as `canonicalJson(JSON.parse(text))` would (a
 * backslash escape, a duplicate key, text that is not JSON) it leaves to that, by answering
 * undefined. content-check-text.unit.spec.ts compares the two over edge cases and random values.
 */

/** Sentinel of the scanner: "not on the fast path" (a string is never this object). */
const OFF = null;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const SLOW = /[\\\u0000-\u001f\ud800-\udfff]/;

let text = '';
let at = 0;

/**
 * `canonicalJson(JSON.parse(json))`, computed without building the parsed value; undefined when
 * `json` holds something the fast path does not handle (then ask `canonicalJson(JSON.parse(json))`).
 */
export function canonicalJsonOfText(json: string): string | undefined {
  // A backslash (an escape), a raw control character (not JSON) or a surrogate (a lone one is
  // escaped by JSON.stringify) anywhere: the slow path. Without them, every string is its text.
  if (SLOW.test(json)) return undefined;
  text = json;
  at = 0;
  try {
    skipSpace();
    const value = readValue();
    if (value === OFF) return undefined;
    skipSpace();
    return at === text.length ? value : undefined;
  } finally {
    text = '';
  }
}

/** Like `canonicalJsonOfText`, falling back to parsing and `canonicalJson` when it must. */
export function canonicalJsonFromText(json: string): string {
  return canonicalJsonOfText(json) ?? canonicalJson(JSON.parse(json));
}

function skipSpace(): void {
  for (;;) {
    const c = text.charCodeAt(at);
    // space, \t, \n, \r: JSON's whitespace
    if (c === 32 || c === 10 || c === 13 || c === 9) at++;
    else return;
  }
}

function readValue(): string | typeof OFF {
  const c = text.charCodeAt(at);
  if (c === 34 /* " */) return readString();
  if (c === 123 /* { */) return readObject();
  if (c === 91 /* [ */) return readArray();
  if (c === 45 /* - */ || (c >= 48 && c <= 57)) return readNumber();
  if (c === 116 /* t */) return literal('true');
  if (c === 102 /* f */) return literal('false');
  if (c === 110 /* n */) return literal('null');
  return OFF;
}

function literal(word: string): string | typeof OFF {
  if (!text.startsWith(word, at)) return OFF;
  at += word.length;
  return word;
}

/**
 * A string, quotes included, exactly as `JSON.stringify` writes the string it parses to: the
 * caller has checked that the text holds no backslash, control character or surrogate, so the
 * closing quote is the next one and the characters between need no escape.
 */
function readString(): string | typeof OFF {
  const start = at;
  const end = text.indexOf('"', at + 1);
  if (end < 0) return OFF;
  at = end + 1;
  return text.slice(start, at);
}

/** JSON's number grammar. */
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * A number as `canonicalJson` writes the double it parses to: its ToString (`-0` → `0`, `1.50` →
 * `1.5`, `1e400` → null as non-finite). An integer of at most 15 digits is already that text.
 */
function readNumber(): string | typeof OFF {
  const start = at;
  let simple = true;
  let i = at;
  if (text.charCodeAt(i) === 45) i++;
  const digitsFrom = i;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) continue;
    if (c === 46 || c === 101 || c === 69 || c === 43 || c === 45) simple = false;
    else break;
  }
  at = i;
  const token = text.slice(start, i);
  const digits = i - digitsFrom;
  if (
    simple &&
    digits > 0 &&
    digits <= 15 &&
    (digits === 1 || text.charCodeAt(digitsFrom) !== 48) &&
    token !== '-0'
  )
    return token;
  if (!NUMBER.test(token)) return OFF;
  const value = Number(token);
  return Number.isFinite(value) ? String(value) : 'null';
}

function readArray(): string | typeof OFF {
  at++; // [
  skipSpace();
  if (text.charCodeAt(at) === 93) {
    at++;
    return '[]';
  }
  let out = '[';
  for (;;) {
    const item = readValue();
    if (item === OFF) return OFF;
    out += item;
    skipSpace();
    const c = text.charCodeAt(at++);
    if (c === 93) return `${out}]`;
    if (c !== 44) return OFF;
    out += ',';
    skipSpace();
  }
}

/**
 * An object with its members in code-unit order of their keys (as `canonicalJson` sorts
 * `Object.keys`). A duplicate key (`JSON.parse` keeps the last) goes to the slow path.
 */
function readObject(): string | typeof OFF {
  at++; // {
  skipSpace();
  if (text.charCodeAt(at) === 125) {
    at++;
    return '{}';
  }
  const keys: string[] = [];
  const members: string[] = [];
  for (;;) {
    if (text.charCodeAt(at) !== 34) return OFF;
    const quoted = readString();
    if (quoted === OFF) return OFF;
    const key = quoted.slice(1, -1);
    skipSpace();
    if (text.charCodeAt(at++) !== 58 /* : */) return OFF;
    skipSpace();
    const item = readValue();
    if (item === OFF) return OFF;
    // Insertion into order: linear when the keys come sorted, as they do from canonical writers.
    let j = keys.length;
    while (j > 0 && keys[j - 1]! > key) j--;
    if (j > 0 && keys[j - 1] === key) return OFF;
    const member = `${quoted}:${item}`;
    if (j === keys.length) {
      keys.push(key);
      members.push(member);
    } else {
      keys.splice(j, 0, key);
      members.splice(j, 0, member);
    }
    skipSpace();
    const c = text.charCodeAt(at++);
    if (c === 125) break;
    if (c !== 44) return OFF;
    skipSpace();
  }
  return `{${members.join(',')}}`;
}

import { InvalidStreamNameError } from './errors.js';

/** `<category>-<id>`: a lower camel-case category, then an id of letters, digits and `_.:-`. */
const STREAM_NAME = /^[a-z][a-zA-Z0-9]{0,39}-[A-Za-z0-9_.:-]{1,160}$/;

export function assertValidStreamName(stream: string): void {
  if (typeof stream !== 'string' || !STREAM_NAME.test(stream))
    throw new InvalidStreamNameError(String(stream));
}

export function streamCategory(stream: string): string {
  const dash = stream.indexOf('-');
  return dash < 0 ? stream : stream.slice(0, dash);
}

export function streamName(category: string, id: string): string {
  const name = `${category}-${id}`;
  assertValidStreamName(name);
  return name;
}

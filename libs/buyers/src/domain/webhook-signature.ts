import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Webhook signatures: `X-LX-Signature: v1=<hex HMAC-SHA256 over "<timestamp>.<body>">` with
 * `X-LX-Timestamp: <unix seconds>`. Signing the timestamp lets a receiver refuse replays.
 */
export const SIGNATURE_HEADER = 'x-lx-signature';
export const TIMESTAMP_HEADER = 'x-lx-timestamp';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does: recompute, compare in constant time, and refuse stale timestamps. */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

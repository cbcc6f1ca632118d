import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Webhook signatures: `X-LX-Signature: v1=<hex HMAC-SHA256 over "<timestamp>.<body>">` with
 * `X-LX-Timestamp: <unix seconds>`. Signing the timestamp lets a receiver refuse replays.
 * While a rotated secret's overlap lasts the header carries one signature per secret, the newest
 * first (`v1=<new>,v1=<old>`), so a receiver that still holds the old secret keeps verifying.
 */
export const SIGNATURE_HEADER = 'x-lx-signature';
export const TIMESTAMP_HEADER = 'x-lx-timestamp';

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The header value for the secrets in force, newest first. */
export function signWebhookWithEach(secrets: readonly string[], timestamp: number, body: string): string {
  return secrets.map((secret) => signWebhook(secret, timestamp, body)).join(',');
}

/** What a receiver does: recompute, compare each signature in constant time, refuse stale timestamps. */
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
  return (headers.signature ?? '').split(',').some((one) => {
    const given = Buffer.from(one.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

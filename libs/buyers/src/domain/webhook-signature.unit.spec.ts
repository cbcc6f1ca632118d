import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { signWebhook, signWebhookWithEach, verifyWebhook } from './webhook-signature.js';

describe('webhook signatures', () => {
  const body = '{"type":"lead.allocated"}';
  it('is v1=<hex HMAC-SHA256 of "timestamp.body">', () => {
    const expected = createHmac('sha256', 'secret').update(`1700000000.${body}`).digest('hex');
    expect(signWebhook('secret', 1700000000, body)).toBe(`v1=${expected}`);
  });

  it('verifies, and refuses another body, another secret or a stale timestamp', () => {
    const signature = signWebhook('secret', 1700000000, body);
    const headers = { timestamp: '1700000000', signature };
    expect(verifyWebhook('secret', headers, body, 1700000010)).toBe(true);
    expect(verifyWebhook('secret', headers, body + ' ', 1700000010)).toBe(false);
    expect(verifyWebhook('other', headers, body, 1700000010)).toBe(false);
    expect(verifyWebhook('secret', headers, body, 1700001000)).toBe(false);
  });

  it('during a rotation signs with the new and the old secret: a receiver holding either verifies', () => {
    const signature = signWebhookWithEach(['new', 'old'], 1700000000, body);
    expect(signature).toBe(`${signWebhook('new', 1700000000, body)},${signWebhook('old', 1700000000, body)}`);
    const headers = { timestamp: '1700000000', signature };
    expect(verifyWebhook('new', headers, body, 1700000010)).toBe(true);
    expect(verifyWebhook('old', headers, body, 1700000010)).toBe(true);
    expect(verifyWebhook('other', headers, body, 1700000010)).toBe(false);
  });
});

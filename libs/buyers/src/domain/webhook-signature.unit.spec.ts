import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { signWebhook, verifyWebhook } from './webhook-signature.js';

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
});

import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { postWebhook } from './webhook-http.js';
import { WebhookTargets } from './webhook-targets.js';

const production = new WebhookTargets({ allowPrivate: false, requireHttps: true });
const development = new WebhookTargets({ allowPrivate: false, requireHttps: false });

describe('webhook targets (real DNS of this machine)', () => {
  it.each([
    'https://localhost/hook',
    'https://127.0.0.1/hook',
    'https://0x7f.1/hook',
    'https://2130706433/hook',
    'https://[::1]/hook',
    'https://[::ffff:127.0.0.1]/hook',
    'https://10.0.0.1/hook',
    'https://169.254.169.254/latest/meta-data/',
    'https://metadata.google.internal/computeMetadata/v1/',
    'https://[fd00:ec2::254]/',
  ])('refuses %s at registration', async (url) => {
    await expect(production.check(url)).rejects.toThrow(/public addresses only/);
  });

  it('refuses a name by what it resolves to, not by how it looks', async () => {
    // This machine's own name resolves to loopback here (/etc/hosts), as a rebound name would.
    await expect(development.check(`http://${hostname()}:8080/hook`)).rejects.toThrow(
      /resolves to 127\.0\.0\.1, which is a loopback address/,
    );
  });

  it('wants https outside development, and no credentials in the URL', async () => {
    await expect(production.check('http://93.184.215.14/hook')).rejects.toThrow(/must use https/);
    await expect(development.check('ftp://93.184.215.14/hook')).rejects.toThrow(/https or http/);
    await expect(development.check('https://user:pw@93.184.215.14/hook')).rejects.toThrow(
      /user name or password/,
    );
    await expect(production.check('https://93.184.215.14/hook')).resolves.toBeUndefined();
  });

  it('checks again at delivery: a URL that slipped past registration never reaches a private address', async () => {
    let reached = 0;
    const receiver = createServer((_request, response) => {
      reached++;
      response.end('ok');
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as { port: number };
    const post = (targets: WebhookTargets, host: string) =>
      postWebhook({
        url: `http://${host}:${port}/hook`,
        headers: {},
        body: '{}',
        timeoutMs: 2000,
        lookup: targets.lookup,
      });
    try {
      await expect(post(development, hostname())).rejects.toThrow(/loopback address/);
      expect(reached).toBe(0);
      // The same delivery with private targets allowed (tests only) does reach the receiver.
      await expect(
        post(new WebhookTargets({ allowPrivate: true, requireHttps: false }), hostname()),
      ).resolves.toEqual({
        status: 200,
      });
      expect(reached).toBe(1);
    } finally {
      receiver.close();
    }
  });

  it('does not follow redirects: a 3xx is the answer', async () => {
    const receiver = createServer((_request, response) => {
      response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as { port: number };
    try {
      const answer = await postWebhook({
        url: `http://127.0.0.1:${port}/hook`,
        headers: {},
        body: '{}',
        timeoutMs: 2000,
        lookup: new WebhookTargets({ allowPrivate: true, requireHttps: false }).lookup,
      });
      expect(answer.status).toBe(302);
    } finally {
      receiver.close();
    }
  });
});

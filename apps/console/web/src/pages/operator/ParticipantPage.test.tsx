import '../../i18n/i18n';
import { renderInConsole } from '../../test-render';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import ParticipantPage from './ParticipantPage';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' },
  });

const participantId = '6f1c8a52-3a47-4c7e-9d4b-1b2a3c4d5e6f';
const participant = (suspended: boolean, apiKeys: object[] = []) => ({
  participantId,
  role: 'buyer',
  name: 'Clínica Visión Norte',
  suspended,
  apiKeys,
});

function renderPage() {
  const router = createMemoryRouter(
    [{ path: '/operator/participants/:participantId', Component: ParticipantPage }],
    { initialEntries: [`/operator/participants/${participantId}`] },
  );
  return renderInConsole(<RouterProvider router={router} />, { inRouter: false });
}

// Rendering Mantine in jsdom is slow on a shared machine.
const SLOW = 30_000;

describe('a participant’s page', () => {
  const requests: Request[] = [];
  let state = participant(false);
  beforeEach(() => {
    requests.length = 0;
    state = participant(false);
    vi.stubGlobal('fetch', async (request: Request) => {
      requests.push(request);
      const path = new URL(request.url).pathname;
      if (request.method === 'GET') return json(200, state);
      if (path.endsWith('/api-keys')) {
        state = participant(false, [
          { keyId: 'k1', prefix: 'lx_6f1c8a52', revoked: false, issuedAt: '2026-12-04T10:00:00Z' },
        ]);
        return json(201, { keyId: 'k1', prefix: 'lx_6f1c8a52', apiKey: 'lx_6f1c8a52_secret-part' });
      }
      if (path.endsWith('/suspend')) {
        const body = (await request.json()) as { reason: string };
        if (body.reason.length > 5)
          return json(400, {
            type: 'about:blank',
            title: 'The request is not valid',
            status: 400,
            errors: [{ field: 'reason', messages: ['reason is too long for this test'] }],
          });
      }
      return json(500, { type: 'about:blank', title: 'unexpected', status: 500 });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it(
    'shows a new key once, says it will not be shown again, and hides it on request',
    async () => {
      renderPage();
      await screen.findByRole('heading', { name: 'Clínica Visión Norte' });
      expect(
        screen.getByText('No keys yet: issue one so the participant can use the exchange.'),
      ).toBeTruthy();
      await userEvent.click(screen.getByRole('button', { name: 'Issue a new key' }));
      expect(await screen.findByText('lx_6f1c8a52_secret-part')).toBeTruthy();
      expect(screen.getByText(/you will not see it again/)).toBeTruthy();
      expect(screen.getByRole('button', { name: 'Copy key' })).toBeTruthy();
      const issue = requests.find((request) => request.method === 'POST')!;
      expect(issue.headers.get('idempotency-key')).toBeTruthy();
      await userEvent.click(screen.getByRole('button', { name: 'I have stored it: hide the key' }));
      expect(screen.queryByText('lx_6f1c8a52_secret-part')).toBeNull();
      expect(await screen.findByText('working')).toBeTruthy();
    },
    SLOW,
  );

  it(
    'asks for a reason before suspending, and shows the exchange’s message next to the field',
    async () => {
      renderPage();
      await screen.findByRole('heading', { name: 'Clínica Visión Norte' });
      await userEvent.click(screen.getByRole('button', { name: 'Suspend' }));
      expect(await screen.findByText('Say why the participant is suspended.')).toBeTruthy();
      expect(requests.filter((request) => request.method === 'POST')).toHaveLength(0);
      await userEvent.type(screen.getByRole('textbox', { name: /Reason for suspending/ }), 'chargeback');
      await userEvent.click(screen.getByRole('button', { name: 'Suspend' }));
      expect(await screen.findByText('reason is too long for this test')).toBeTruthy();
    },
    SLOW,
  );
});

import '../i18n/i18n';
import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../api/session';
import { SignIn } from './SignIn';

const answer = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' },
  });

describe('sign-in', () => {
  const requests: Request[] = [];
  beforeEach(() => {
    requests.length = 0;
    sessionStorage.clear();
  });
  afterEach(() => vi.unstubAllGlobals());

  const renderSignIn = () =>
    render(
      <MantineProvider>
        <SignIn />
      </MantineProvider>,
    );

  it('asks the exchange whose key it is, and keeps a key it accepts in session storage only', async () => {
    vi.stubGlobal('fetch', async (request: Request) => {
      requests.push(request);
      return answer(200, {
        participantId: 'p1',
        role: 'seller',
        name: 'Оптика Север',
        suspended: false,
        apiKeys: [],
      });
    });
    renderSignIn();
    await userEvent.type(screen.getByLabelText('API key'), '  sk_live_key  ');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(requests[0]!.url).toMatch(/\/api\/sellers\/v1\/me$/);
    expect(requests[0]!.headers.get('authorization')).toBe('Bearer sk_live_key');
    expect(session.key()).toBe('sk_live_key');
    expect(Object.values(localStorage)).not.toContain('sk_live_key');
  });

  it('says so when the exchange refuses the key, and keeps nothing', async () => {
    vi.stubGlobal('fetch', async () =>
      answer(401, { type: 'about:blank', title: 'Unauthorized', status: 401 }),
    );
    renderSignIn();
    await userEvent.type(screen.getByLabelText('API key'), 'sk_wrong');
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('The exchange did not accept this key.')).toBeTruthy();
    expect(session.key()).toBeNull();
  });

  it('asks for a key before asking the exchange', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    renderSignIn();
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText('Paste your API key.')).toBeTruthy();
    expect(fetch).not.toHaveBeenCalled();
  });
});

import '../../i18n/i18n';
import { renderInConsole } from '../../test-render';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n/i18n';
import DoNotContactPage from './DoNotContactPage';
import { parseContacts, refusedLines } from './do-not-contact';

vi.setConfig({ testTimeout: 60_000 });

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' },
  });

const LIST = {
  listId: '0d4f8e1a-7b2c-4c3d-9e5f-6a7b8c9d0e1f',
  name: 'Regulator register',
  vertical: 'eyewear',
  expiresAt: '2030-01-01T00:00:00.000Z',
  endedAt: null,
  createdAt: '2026-12-05T06:00:00.000Z',
  status: 'active',
  contacts: 0,
  fingerprints: 0,
};

describe('a pasted do-not-contact list', () => {
  it('reads one phone or e-mail a line (commas and semicolons too), with the country for local phones', () => {
    expect(
      parseContacts('+34 600 111 222\n\n ana@example.es ; 912 345 678\r\nbob@example.es,', 'es'),
    ).toEqual({
      entries: [
        { phone: '+34 600 111 222', country: 'ES' },
        { email: 'ana@example.es' },
        { phone: '912 345 678', country: 'ES' },
        { email: 'bob@example.es' },
      ],
      lines: [1, 3, 3, 4],
      badLines: [],
    });
    expect(parseContacts('12\nana@\nJohn Smith\n+7 916 123-45-67').badLines).toEqual([1, 2, 3]);
  });

  it('names the refused lines from the exchange’s entry indexes', () => {
    const { lines } = parseContacts('ana@example.es\n\n+34 600 111 222');
    expect(
      refusedLines(
        [
          { field: 'entries.1.phone', messages: ['not a valid phone number'] },
          { field: 'name', messages: ['ignored'] },
        ],
        lines,
      ),
    ).toEqual([{ line: 3, messages: ['not a valid phone number'] }]);
  });
});

describe('the do-not-contact page', () => {
  const calls: { method: string; path: string; body: unknown }[] = [];
  beforeEach(async () => {
    calls.length = 0;
    await i18n.changeLanguage('en');
    vi.stubGlobal('fetch', async (request: Request) => {
      const path = new URL(request.url).pathname.replace('/api/sellers', '');
      const text = request.method === 'GET' ? '' : await request.text();
      calls.push({ method: request.method, path, body: text ? JSON.parse(text) : undefined });
      if (request.method === 'GET') return json(200, { items: [] });
      if (path === '/v1/do-not-contact-lists') return json(201, LIST);
      return json(400, {
        type: 'https://lead-exchange.dev/problems/validation-failed',
        title: 'The request is not valid',
        status: 400,
        errors: [{ field: 'entries.0.phone', messages: ['not a valid phone number'] }],
      });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('checks the form before sending, then opens the list and adds the contacts, naming a refused line', async () => {
    const user = userEvent.setup({ delay: null });
    renderInConsole(<DoNotContactPage />);
    await screen.findByText('No do-not-contact list yet.', undefined, { timeout: 15_000 });
    await user.click(screen.getByRole('button', { name: 'Open the list' }));
    expect(await screen.findByText('Give the list a name.')).toBeInTheDocument();
    expect(screen.getByText('A moment in the future.')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: /Market \(vertical\)/ })).toHaveAccessibleDescription(
      expect.stringContaining('Start with a letter'),
    );

    await user.click(screen.getByRole('textbox', { name: /^Name/ }));
    await user.paste('Regulator register');
    await user.click(screen.getByRole('textbox', { name: /Market \(vertical\)/ }));
    await user.paste('eyewear');
    fireEvent.change(screen.getByLabelText(/Applies until/), { target: { value: '2030-01-01T01:00' } });
    await user.click(screen.getByRole('textbox', { name: 'Phones and e-mails' }));
    await user.paste('600 111 222\nana@example.es\nJohn Smith');
    await user.click(screen.getByRole('button', { name: 'Open the list' }));
    expect(await screen.findByText('Neither a phone nor an e-mail on lines 3.')).toBeInTheDocument();
    expect(calls.filter((call) => call.method === 'POST')).toEqual([]);

    await user.clear(screen.getByRole('textbox', { name: 'Phones and e-mails' }));
    await user.paste('600 111 222\nana@example.es');
    await user.click(screen.getByRole('textbox', { name: /Country of phones/ }));
    await user.paste('es');
    await user.click(screen.getByRole('button', { name: 'Open the list' }));
    expect(await screen.findByText('Line 1: not a valid phone number')).toBeInTheDocument();
    expect(screen.getByText('List “Regulator register” opened')).toBeInTheDocument();
    expect(calls.filter((call) => call.method === 'POST')).toEqual([
      {
        method: 'POST',
        path: '/v1/do-not-contact-lists',
        body: {
          name: 'Regulator register',
          vertical: 'eyewear',
          expiresAt: new Date('2030-01-01T01:00').toISOString(),
        },
      },
      {
        method: 'POST',
        path: `/v1/do-not-contact-lists/${LIST.listId}/entries`,
        body: { entries: [{ phone: '600 111 222', country: 'ES' }, { email: 'ana@example.es' }] },
      },
    ]);
  });

  it('opens a global list (vertical null) without contacts', async () => {
    const user = userEvent.setup({ delay: null });
    renderInConsole(<DoNotContactPage />);
    await screen.findByText('No do-not-contact list yet.', undefined, { timeout: 15_000 });
    await user.click(screen.getByRole('textbox', { name: /^Name/ }));
    await user.paste('Client opt-outs');
    await user.click(screen.getByRole('radio', { name: 'Every market' }));
    expect(screen.queryByRole('textbox', { name: /Market \(vertical\)/ })).toBeNull();
    fireEvent.change(screen.getByLabelText(/Applies until/), { target: { value: '2031-06-30T12:00' } });
    await user.click(screen.getByRole('button', { name: 'Open the list' }));
    await waitFor(() =>
      expect(calls.filter((call) => call.method === 'POST')).toEqual([
        {
          method: 'POST',
          path: '/v1/do-not-contact-lists',
          body: {
            name: 'Client opt-outs',
            vertical: null,
            expiresAt: new Date('2031-06-30T12:00').toISOString(),
          },
        },
      ]),
    );
  });
});

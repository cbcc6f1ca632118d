import '../../i18n/i18n';
import { renderInConsole } from '../../test-render';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n/i18n';
import AuthenticityPage from './AuthenticityPage';

vi.setConfig({ testTimeout: 60_000 });

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' },
  });

const SELLER = '5a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const BATCH = '9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const LEAD = '1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9';
const TASK = {
  batchId: BATCH,
  leadId: LEAD,
  sellerId: SELLER,
  vertical: 'eyewear',
  rank: 1,
  outcome: null,
  answeredBy: null,
  answeredAt: null,
  qualityListed: 62,
  qualityChecked: null,
  check: 'Call the person: did they ask about eyewear?',
  assignedTo: 'staff',
  contact: { status: 'available', name: 'Ana García', phone: '+34600111222', email: 'ana@example.es' },
};
const SAMPLE = {
  batchId: BATCH,
  sellerId: SELLER,
  vertical: 'eyewear',
  status: 'held',
  population: 10,
  sampled: 3,
  answered: 1,
  confirmed: 0,
  failed: 1,
  holdThresholdPercent: 20,
  drawnAt: '2026-12-05T06:00:00.000Z',
  decidedBy: null,
  decisionNote: null,
};

describe('the authenticity page', () => {
  const calls: { method: string; path: string; query: string; body: unknown }[] = [];
  beforeEach(async () => {
    calls.length = 0;
    await i18n.changeLanguage('en');
    vi.stubGlobal('fetch', async (request: Request) => {
      const url = new URL(request.url);
      const path = url.pathname.replace('/api/settlement', '');
      const text = request.method === 'GET' ? '' : await request.text();
      calls.push({
        method: request.method,
        path,
        query: url.search,
        body: text ? JSON.parse(text) : undefined,
      });
      if (path === '/v1/participants')
        return json(200, {
          items: [
            { participantId: SELLER, role: 'seller', name: 'Vera Leads', suspended: false, apiKeys: [] },
          ],
        });
      if (path === '/v1/authenticity/tasks') return json(200, { items: [TASK] });
      if (path === '/v1/authenticity/samples') return json(200, { items: [SAMPLE] });
      if (path.endsWith('/answer'))
        return json(201, {
          events: [
            { type: 'AuthenticityCheckAnswered', data: {} },
            { type: 'AuthenticitySampleHeld', data: {} },
          ],
        });
      return json(201, { events: [{ type: 'AuthenticityHoldDecided', data: {} }] });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('shows a check with the person’s contact, refuses an answer without outcome or evidence, and sends it', async () => {
    const user = userEvent.setup({ delay: null });
    renderInConsole(<AuthenticityPage />);
    const task = await screen.findByTestId('authenticity-task', undefined, { timeout: 15_000 });
    expect(within(task).getByTestId('task-contact')).toHaveTextContent('Ana García');
    expect(within(task).getByTestId('task-contact')).toHaveTextContent('+34600111222');
    await within(task).findByText('Vera Leads');
    await user.click(within(task).getByRole('button', { name: 'Record the answer' }));
    expect(await within(task).findByText('Pick what you found.')).toBeInTheDocument();
    expect(within(task).getByText('Describe what you did, in at least 5 characters.')).toBeInTheDocument();
    expect(calls.filter((call) => call.method === 'POST')).toEqual([]);

    await user.click(within(task).getByRole('radio', { name: 'Denied: the person never asked' }));
    await user.click(within(task).getByRole('textbox', { name: /Evidence/ }));
    await user.paste('Called at 10:05: she never asked about glasses');
    await user.click(within(task).getByRole('button', { name: 'Record the answer' }));
    const answer = await screen.findByTestId('authenticity-answer');
    expect(answer).toHaveTextContent('Answer recorded: Denied: the person never asked.');
    expect(answer).toHaveTextContent('the rest of the batch is held from sale');
    expect(calls.filter((call) => call.method === 'POST')).toEqual([
      {
        method: 'POST',
        path: `/v1/authenticity/tasks/${LEAD}/answer`,
        query: '',
        body: { outcome: 'denied', evidence: 'Called at 10:05: she never asked about glasses' },
      },
    ]);
  });

  it('lists the held samples with their tally and records a decision with its note', async () => {
    const user = userEvent.setup({ delay: null });
    renderInConsole(<AuthenticityPage />);
    const sample = await screen.findByTestId('authenticity-sample', undefined, { timeout: 15_000 });
    expect(calls.find((call) => call.path === '/v1/authenticity/samples')!.query).toBe('?status=held');
    expect(within(sample).getByTestId('sample-tally')).toHaveTextContent(
      '3 of 10 leads sampled; 1 answered: 0 confirmed, 1 failed.',
    );
    await user.click(within(sample).getByRole('button', { name: 'Record the decision' }));
    expect(await within(sample).findByText('Pick a decision.')).toBeInTheDocument();
    await user.click(within(sample).getByRole('radio', { name: /^Withdraw/ }));
    await user.click(within(sample).getByRole('textbox', { name: /Note/ }));
    await user.paste('Two of three denied');
    await user.click(within(sample).getByRole('button', { name: 'Record the decision' }));
    await waitFor(() =>
      expect(screen.getByTestId('authenticity-answer')).toHaveTextContent(
        'Batch withdrawn: its unsold leads left the market.',
      ),
    );
    expect(calls.filter((call) => call.method === 'POST').map(({ path, body }) => ({ path, body }))).toEqual([
      {
        path: `/v1/authenticity/samples/${BATCH}/decision`,
        body: { decision: 'withdraw', note: 'Two of three denied' },
      },
    ]);
  });
});

import { configure, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// A big form typed key by key in jsdom on a shared machine: give each case time.
vi.setConfig({ testTimeout: 120_000 });
configure({ asyncUtilTimeout: 15_000 });

/*
 * The order builder against a stubbed exchange (fetch is stubbed in this component test only; the
 * browser test drives the real apps). The client captures fetch when it is created, so the stub is
 * installed before any module loads; jsdom's page origin resolves the console's relative API URLs.
 */
const exchange = vi.hoisted(() => {
  const NodeRequest = globalThis.Request;
  globalThis.Request = class extends NodeRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(typeof input === 'string' ? new URL(input, 'http://console.test') : input, init);
    }
  } as typeof Request;
  const fetch = vi.fn<(request: Request) => Promise<Response>>();
  globalThis.fetch = fetch as unknown as typeof globalThis.fetch;
  return { fetch };
});

import '../../i18n/i18n';
import i18n from '../../i18n/i18n';
import { renderInConsole } from '../../test-render';
import OrderBuilderPage from './OrderBuilderPage';

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

const PREVIEW = {
  vertical: 'eyewear',
  matching: 60,
  matchingAtOrBelowBid: 60,
  floors: { currency: 'RUB', min: 50000, median: 60000, max: 60000 },
  floorHistogram: [
    { from: 50000, to: 50000, leads: 12 },
    { from: 60000, to: 60000, leads: 48 },
  ],
  exclusive: 60,
  shared: 0,
};

interface Call {
  method: string;
  path: string;
  body: any;
}
let calls: Call[];
let placeAnswer: () => Response;

function order(body: any) {
  return {
    orderId: '7b0c3c1e-6a55-4c36-9f7e-0f4a8a1d2b11',
    vertical: 'eyewear',
    currency: 'RUB',
    status: 'open',
    reserved: body.budget,
    released: 0,
    terms: { ...body, vertical: undefined },
    progress: { leadsBought: 0, spend: 0 },
  };
}

beforeEach(async () => {
  calls = [];
  placeAnswer = () => json(201, order(calls.at(-1)!.body));
  await i18n.changeLanguage('en');
  exchange.fetch.mockImplementation(async (request: Request) => {
    const url = new URL(request.url);
    const path = url.pathname.replace('/api/buyers', '');
    const text = request.method === 'GET' ? '' : await request.text();
    calls.push({ method: request.method, path, body: text ? JSON.parse(text) : undefined });
    if (path === '/v1/account')
      return json(200, {
        buyerId: '0b7d9a4e-1d59-4b6a-9a43-3c1f0e2a7c55',
        balances: [{ currency: 'RUB', available: 5_000_000, reserved: 0, deposited: 5_000_000 }],
        webhook: null,
      });
    if (path === '/v1/market-depth')
      return json(200, {
        vertical: 'eyewear',
        segments: [{ region: 'RU-MOW', ageBand: '30-39', contacts: 'phone+email', leads: 25 }],
        suppressedSegments: 2,
        minimumSegmentCount: 3,
      });
    if (path === '/v1/orders/preview')
      return json(200, {
        ...PREVIEW,
        schedule: calls.at(-1)!.body.schedule
          ? {
              description: 'Mon–Fri 09:00–17:00 (Europe/Madrid)',
              message: 'Inside the order’s schedule now',
              openNow: true,
              nextChangeAt: '2030-01-07T16:00:00.000Z',
            }
          : null,
      });
    if (path === '/v1/orders' && request.method === 'POST') return placeAnswer();
    return json(404, { type: 'about:blank', title: 'Not found', status: 404 }, 'application/problem+json');
  });
});
afterEach(() => exchange.fetch.mockReset());

const renderPage = () => renderInConsole(<OrderBuilderPage />);

/** Types into a plain text field at once (a paste), much faster than key by key in jsdom. */
async function fill(user: ReturnType<typeof userEvent.setup>, field: HTMLElement, text: string) {
  await user.click(field);
  await user.paste(text);
}

const previews = () => calls.filter((call) => call.path === '/v1/orders/preview');

/** Scenario 1's order, typed as a buyer types it. */
async function fillScenarioOne(user: ReturnType<typeof userEvent.setup>) {
  await fill(user, screen.getByLabelText('Minimum age'), '30');
  await user.type(screen.getByRole('combobox', { name: 'Regions' }), 'RU-MOW{Enter}RU-SPE{Enter}');
  await user.click(screen.getByRole('checkbox', { name: 'Phone' }));
  await user.click(screen.getByRole('checkbox', { name: 'E-mail' }));
  await user.click(screen.getByRole('checkbox', { name: 'Married' }));
  await user.click(screen.getByRole('checkbox', { name: 'Partnered' }));
  await user.type(
    screen.getByRole('combobox', { name: 'Interests (at least one)' }),
    'premium_glasses{Enter}luxury_glasses{Enter}',
  );
  await fill(user, screen.getByLabelText('Bid per lead (RUB)'), '600');
  await fill(user, screen.getByLabelText('Maximum bid with modifiers (RUB)'), '600');
  await user.click(screen.getByRole('button', { name: 'Add modifier' }));
  await user.selectOptions(screen.getByLabelText('Attribute (modifier 1)'), 'employment');
  await fill(user, screen.getByLabelText('Values (modifier 1)'), 'employed, self_employed');
  await fill(user, screen.getByLabelText('Added to the bid (RUB, modifier 1)'), '50');
  await fill(user, screen.getByLabelText('Quantity (leads)'), '50');
  await fill(user, screen.getByLabelText('Budget (RUB)'), '30000');
}

describe('the order builder', () => {
  it('says what is wrong next to each field before sending anything', async () => {
    const user = userEvent.setup({ delay: null });
    renderPage();
    await screen.findByText('Bid per lead (RUB)', undefined, { timeout: 10_000 });
    await fill(user, screen.getByLabelText('Minimum age'), '12');
    await user.type(screen.getByRole('combobox', { name: 'Regions' }), 'Moscow{Enter}');
    await user.click(screen.getByRole('button', { name: 'Place order' }));
    expect(screen.getByLabelText('Minimum age')).toHaveAccessibleDescription(
      'A whole number from 18 to 120.',
    );
    expect(screen.getByLabelText('Bid per lead (RUB)')).toHaveAccessibleDescription(
      'Enter an amount, e.g. 600 or 600.50.',
    );
    expect(screen.getByLabelText('Quantity (leads)')).toHaveAccessibleDescription(
      'A whole number of leads, 1 or more.',
    );
    expect(screen.getByRole('combobox', { name: 'Regions' })).toHaveAccessibleDescription(
      expect.stringContaining('ISO 3166-2 codes, e.g. RU-MOW.'),
    );
    await fill(user, screen.getByLabelText('Bid per lead (RUB)'), '600');
    await fill(user, screen.getByLabelText('Budget (RUB)'), '100');
    await user.click(screen.getByRole('button', { name: 'Place order' }));
    expect(screen.getByLabelText('Budget (RUB)')).toHaveAccessibleDescription(
      expect.stringContaining('Enough for at least one lead at the bid.'),
    );
    expect(calls.filter((call) => call.path === '/v1/orders')).toEqual([]);
    // Invalid filters are not previewed.
    expect(screen.getByText('Fix the filters to see the preview.')).toBeInTheDocument();
  });

  it('previews the filters being edited (debounced) and shows the count and the floors histogram', async () => {
    const user = userEvent.setup({ delay: null });
    renderPage();
    await waitFor(() => expect(previews()).toHaveLength(1));
    expect(previews()[0]!.body).toEqual({ vertical: 'eyewear', filters: {}, exclusivity: 'any' });

    await user.type(screen.getByLabelText('Minimum age'), '30');
    await user.type(screen.getByRole('combobox', { name: 'Regions' }), 'RU-MOW{Enter}');
    await user.type(screen.getByLabelText('Bid per lead (RUB)'), '600');
    const final = {
      vertical: 'eyewear',
      filters: { ageMin: 30, regions: ['RU-MOW'] },
      bid: 60000,
      exclusivity: 'any',
    };
    // Debounced: the last edit is not sent at once, but ~400 ms after the typing stops.
    expect(previews().at(-1)!.body).not.toEqual(final);
    await waitFor(() => expect(previews().at(-1)!.body).toEqual(final));
    // A half-typed (invalid) age is never sent.
    expect(previews().some((call) => call.body.filters.ageMin === 3)).toBe(false);

    expect(await screen.findByTestId('preview-matching')).toHaveTextContent('60');
    expect(screen.getByTestId('preview-at-bid')).toHaveTextContent('Of those, at or below your bid: 60');
    const bars = screen.getAllByTestId('histogram-bar');
    expect(bars.map((bar) => bar.textContent)).toEqual(['500.00 RUB12', '600.00 RUB48']);
    const depth = screen.getByRole('table', { name: /Resting leads in eyewear/ });
    expect(within(depth).getByText('RU-MOW')).toBeInTheDocument();
  });

  it('places the order with every amount in minor units and says what was reserved', async () => {
    const user = userEvent.setup({ delay: null });
    renderPage();
    await screen.findByText('Bid per lead (RUB)', undefined, { timeout: 10_000 });
    await fillScenarioOne(user);
    await user.click(screen.getByRole('button', { name: 'Place order' }));
    const placed = await screen.findByTestId('order-placed');
    expect(calls.filter((call) => call.path === '/v1/orders').map((call) => call.body)).toEqual([
      {
        vertical: 'eyewear',
        filters: {
          ageMin: 30,
          regions: ['RU-MOW', 'RU-SPE'],
          requiredContacts: ['phone', 'email'],
          maritalStatus: ['married', 'partnered'],
          interestsAny: ['premium_glasses', 'luxury_glasses'],
        },
        bid: 60000,
        maxBid: 60000,
        modifiers: [{ attribute: 'employment', in: ['employed', 'self_employed'], add: 5000 }],
        quantity: 50,
        budget: 3_000_000,
        exclusivity: 'any',
        delivery: 'pull',
      },
    ]);
    expect(placed).toHaveTextContent('30,000.00 RUB reserved from your balance for this order.');
    expect(within(placed).getByRole('link', { name: 'Open the order' })).toHaveAttribute(
      'href',
      '/buyer/orders/7b0c3c1e-6a55-4c36-9f7e-0f4a8a1d2b11',
    );
  });

  it('shows the exchange’s field messages next to the fields they name', async () => {
    placeAnswer = () =>
      json(
        422,
        {
          type: 'https://lead-exchange.dev/problems/validation-failed',
          title: 'Validation failed',
          status: 422,
          errors: [
            { field: 'filters.regions', messages: ['regions must hold ISO 3166-2 codes; unknown: RU-ZZZ'] },
            { field: 'budget', messages: ['budget exceeds the available balance'] },
          ],
        },
        'application/problem+json',
      );
    const user = userEvent.setup({ delay: null });
    renderPage();
    await screen.findByText('Bid per lead (RUB)', undefined, { timeout: 10_000 });
    await fillScenarioOne(user);
    await user.click(screen.getByRole('button', { name: 'Place order' }));
    await waitFor(() =>
      expect(screen.getByRole('combobox', { name: 'Regions' })).toHaveAccessibleDescription(
        expect.stringContaining('regions must hold ISO 3166-2 codes; unknown: RU-ZZZ'),
      ),
    );
    expect(screen.getByLabelText('Budget (RUB)')).toHaveAccessibleDescription(
      expect.stringContaining('budget exceeds the available balance'),
    );
    expect(screen.getByText('The exchange refused the order')).toBeInTheDocument();
    expect(screen.queryByTestId('order-placed')).toBeNull();
  });

  it('sends the delivery schedule, hourly cap and source filters, previews the schedule and places the exchange’s messages on them', async () => {
    placeAnswer = () =>
      json(
        400,
        {
          type: 'https://lead-exchange.dev/problems/validation-failed',
          title: 'The request is not valid',
          status: 400,
          errors: [
            { field: 'schedule.windows.0.to', messages: ['to must be a time HH:MM from 00:01 to 24:00'] },
            { field: 'filters.sourcesExcluded.0.source', messages: ['overlaps sourcesIncluded'] },
          ],
        },
        'application/problem+json',
      );
    const user = userEvent.setup({ delay: null });
    renderPage();
    await screen.findByText('Bid per lead (RUB)', undefined, { timeout: 10_000 });
    expect(screen.getByTestId('schedule-none')).toHaveTextContent('No windows: the order buys at any time.');
    await fill(user, screen.getByLabelText('Bid per lead (RUB)'), '600');
    await fill(user, screen.getByLabelText('Quantity (leads)'), '50');
    await fill(user, screen.getByLabelText('Budget (RUB)'), '30000');
    await fill(user, screen.getByLabelText('Hourly cap (leads)'), '5');
    await user.click(screen.getByRole('button', { name: 'Add a window' }));
    await user.click(screen.getByRole('checkbox', { name: 'Sat' }));
    const closes = screen.getByLabelText('Closes (window 1)');
    await user.clear(closes);
    await user.paste('17:00');
    await user.click(screen.getByRole('button', { name: 'Add a source to refuse' }));
    await fill(user, screen.getByLabelText('Source (Never these sources, 1)'), 'spam_affiliate');
    await user.click(screen.getByRole('checkbox', { name: /Only sample-verified batches/ }));

    const schedule = {
      timeZone: 'Europe/Madrid',
      windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], from: '09:00', to: '17:00' }],
    };
    await waitFor(() =>
      expect(previews().at(-1)!.body).toEqual({
        vertical: 'eyewear',
        filters: { sourcesExcluded: [{ source: 'spam_affiliate' }], requireSampleVerified: true },
        bid: 60000,
        exclusivity: 'any',
        schedule: { ...schedule, timeZone: expect.any(String) },
      }),
    );
    const answer = await screen.findByTestId('preview-schedule');
    expect(answer).toHaveTextContent('Open now');
    expect(answer).toHaveTextContent('Mon–Fri 09:00–17:00 (Europe/Madrid)');
    expect(answer).toHaveTextContent('It closes');

    await user.click(screen.getByRole('button', { name: 'Place order' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Closes (window 1)')).toHaveAccessibleDescription(
        expect.stringContaining('to must be a time HH:MM from 00:01 to 24:00'),
      ),
    );
    expect(screen.getByLabelText('Source (Never these sources, 1)')).toHaveAccessibleDescription(
      expect.stringContaining('overlaps sourcesIncluded'),
    );
    const placed = calls.filter((call) => call.path === '/v1/orders').map((call) => call.body);
    expect(placed).toEqual([
      {
        vertical: 'eyewear',
        filters: { sourcesExcluded: [{ source: 'spam_affiliate' }], requireSampleVerified: true },
        bid: 60000,
        modifiers: [],
        quantity: 50,
        budget: 3_000_000,
        hourlyCapCount: 5,
        schedule: { ...schedule, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
        exclusivity: 'any',
        delivery: 'pull',
      },
    ]);
  });

  it('refuses overlapping windows next to the window before sending anything', async () => {
    const user = userEvent.setup({ delay: null });
    renderPage();
    await screen.findByText('Bid per lead (RUB)', undefined, { timeout: 10_000 });
    await user.click(screen.getByRole('button', { name: 'Add a window' }));
    await user.click(screen.getByRole('button', { name: 'Add a window' }));
    await user.click(screen.getByRole('button', { name: 'Place order' }));
    expect(await screen.findByText('Overlaps another window on one of these days.')).toBeInTheDocument();
    expect(screen.getByRole('group', { name: 'Days (window 2)' })).toHaveAccessibleDescription(
      'Overlaps another window on one of these days.',
    );
    expect(calls.filter((call) => call.path === '/v1/orders')).toEqual([]);
  });
});

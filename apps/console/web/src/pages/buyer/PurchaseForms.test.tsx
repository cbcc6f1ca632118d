import { fireEvent, screen, waitFor } from '@testing-library/react';
import type { ReactElement } from 'react';
import { describe, expect, it, vi } from 'vitest';

// openapi-fetch keeps the fetch and Request it finds when the client is made: stub them before the
// imports (Node's Request wants an absolute URL; the console's are relative to its origin).
const fetchMock = vi.hoisted(() => {
  const mock = vi.fn<(request: Request) => Promise<Response>>();
  globalThis.fetch = mock as unknown as typeof fetch;
  const NodeRequest = globalThis.Request;
  globalThis.Request = class extends NodeRequest {
    constructor(input: RequestInfo | URL, init?: RequestInit) {
      super(typeof input === 'string' ? new URL(input, 'http://console.test') : input, init);
    }
  };
  return mock;
});

import '../../i18n/i18n';
import { renderInConsole } from '../../test-render';
import { ConversionForm, ReturnForm } from './PurchaseForms';
import type { Purchase } from './purchased-lead';

const purchase = {
  allocationId: '0b6a3f4e-8f3e-4c6e-9a57-3f1d2c9e0a11',
  orderId: '5d0f2c1a-1111-4c6e-9a57-3f1d2c9e0a11',
  leadId: '7e1f2c1a-2222-4c6e-9a57-3f1d2c9e0a11',
  sellerId: '9a1f2c1a-3333-4c6e-9a57-3f1d2c9e0a11',
  allocatedAt: '2025-06-02T10:00:00.000Z',
  price: 60000,
  currency: 'RUB',
  converted: false,
  returnStatus: null,
  quality: null,
  rule: 'bid',
  position: '1/1',
  vertical: 'eyewear',
  attributes: null,
} as Purchase;

const wrap = (children: ReactElement) => renderInConsole(children, { inRouter: false });

const answer = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

// Generous timeouts: the machine is shared with browser tests.
vi.setConfig({ testTimeout: 30_000 });

describe('the return and conversion forms', () => {
  it('asks for the evidence before sending, then shows the exchange’s field problem next to its field', async () => {
    fetchMock.mockResolvedValueOnce(
      answer(
        400,
        {
          type: 'https://lead-exchange.dev/problems/validation-failed',
          title: 'Validation failed',
          status: 400,
          errors: [{ field: 'evidence.0.description', messages: ['description is too long'] }],
        },
        'application/problem+json',
      ),
    );
    const done = vi.fn();
    wrap(<ReturnForm purchase={purchase} onDone={done} />);
    fireEvent.click(screen.getByRole('button', { name: 'Request the return' }));
    expect(await screen.findByText('Required.')).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText(/What the evidence shows/), {
      target: { value: 'Number not in service' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Request the return' }));
    expect(await screen.findByText('description is too long')).toBeInTheDocument();
    const request = fetchMock.mock.calls[0]![0];
    expect(request.url).toContain(`/api/buyers/v1/purchased-leads/${purchase.allocationId}/return`);
    expect(await request.json()).toEqual({
      reason: 'invalid_phone',
      evidence: [{ kind: 'call_log', description: 'Number not in service' }],
      replace: false,
    });
    expect(done).not.toHaveBeenCalled();
  });

  it('reports a conversion with its value in minor units, as a UTC instant', async () => {
    fetchMock.mockReset();
    fetchMock.mockResolvedValueOnce(answer(201, { allocationId: purchase.allocationId, converted: true }));
    const done = vi.fn();
    wrap(<ConversionForm purchase={purchase} onDone={done} />);
    fireEvent.change(screen.getByLabelText(/Value in RUB/), { target: { value: '1500,5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Report the conversion' }));
    await waitFor(() => expect(done).toHaveBeenCalled());
    const body = await fetchMock.mock.calls[0]![0].json();
    expect(body.value).toEqual({ amount: 150050, currency: 'RUB' });
    expect(body.at).toMatch(/Z$/);
  });

  it('refuses a value that is not an amount, before sending', async () => {
    fetchMock.mockReset();
    wrap(<ConversionForm purchase={purchase} onDone={vi.fn()} />);
    fireEvent.change(screen.getByLabelText(/Value in RUB/), { target: { value: 'a lot' } });
    fireEvent.click(screen.getByRole('button', { name: 'Report the conversion' }));
    expect(await screen.findByText('Enter an amount such as 1500 or 1500.50.')).toBeInTheDocument();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

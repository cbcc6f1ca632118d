import '../../i18n/i18n';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { session } from '../../api/session';
import { renderInConsole } from '../../test-render';
import UploadPage from './UploadPage';

const BATCH_ID = '3f6c1d2e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' },
  });
const batch = (status: 'verifying' | 'verified') => ({
  batchId: BATCH_ID,
  status,
  submittedAt: '2026-12-04T10:00:00.000Z',
  terms: {
    vertical: 'eyewear',
    floor: 60050,
    currency: 'RUB',
    exclusivity: { kind: 'shared', maxSales: 3 },
    listingLifetimeHours: 48,
  },
  progress:
    status === 'verified'
      ? { share: 1, totalRows: 10, processed: 10, accepted: 7, rejected: 3 }
      : { share: 0, totalRows: 10, processed: 0, accepted: 0, rejected: 0 },
  reasons: status === 'verified' ? { invalid_phone: 2, under_age: 1 } : {},
});

/** A stand-in for the browser's XMLHttpRequest: records the request, reports progress, answers as told. */
class FakeXhr {
  static sent: FakeXhr[] = [];
  static answer: { status: number; body: unknown } = { status: 202, body: batch('verifying') };
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  statusText = '';
  responseText = '';
  upload: {
    onprogress: ((event: { lengthComputable: boolean; loaded: number; total: number }) => void) | null;
  } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
    FakeXhr.sent.push(this);
    this.upload.onprogress?.({ lengthComputable: true, loaded: 50, total: 100 });
    setTimeout(() => {
      this.status = FakeXhr.answer.status;
      this.responseText = JSON.stringify(FakeXhr.answer.body);
      this.onload?.();
    }, 10);
  }
}

const renderPage = () => renderInConsole(<UploadPage />);

const csv = () =>
  new File(['external_id,phone\nA-1,+79161234567\n'], 'Оптика Север.csv', { type: 'text/csv' });

// Typing into several fields takes a while on a busy machine.
describe('the upload page', { timeout: 20_000 }, () => {
  beforeEach(() => {
    FakeXhr.sent = [];
    FakeXhr.answer = { status: 202, body: batch('verifying') };
    session.signIn('sk_test_key');
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    let polls = 0;
    vi.stubGlobal('fetch', async (request: Request) => {
      const path = new URL(request.url).pathname;
      if (path.endsWith('/v1/upload-format'))
        return json(200, {
          formats: ['csv', 'ndjson'],
          lines: 'one lead per line',
          columns: [
            { name: 'external_id', required: true },
            { name: 'email', required: false },
          ],
          rejectionReasons: {},
        });
      if (path.endsWith(`/v1/batches/${BATCH_ID}`))
        return json(200, batch(polls++ === 0 ? 'verifying' : 'verified'));
      if (path.endsWith('/v1/batches')) return json(200, { items: [] });
      return json(404, { type: 'about:blank', title: 'Not found', status: 404 });
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    sessionStorage.clear();
  });

  it('checks the terms before sending: a positive floor, a market slug, max sales for a shared listing, a file', async () => {
    const user = userEvent.setup({ delay: null });
    renderPage();
    await user.type(screen.getByLabelText(/^Market/), 'Eyewear!');
    await user.type(screen.getByLabelText(/^Floor per lead/), '0');
    await user.selectOptions(screen.getByLabelText('Exclusivity'), 'shared');
    await user.type(screen.getByLabelText(/^Listing lifetime/), '0.5');
    await user.click(screen.getByRole('button', { name: 'Upload' }));

    expect(await screen.findByLabelText(/^Floor per lead/)).toHaveAccessibleDescription(
      /Enter a positive amount/,
    );
    expect(screen.getByLabelText(/^Market/)).toHaveAccessibleDescription(/lower-case market slug/);
    expect(screen.getByLabelText(/^Max sales/)).toHaveAccessibleDescription(/2 to 10 buyers/);
    expect(screen.getByLabelText(/^Listing lifetime/)).toHaveAccessibleDescription(/whole hours/);
    expect(FakeXhr.sent).toHaveLength(0);

    await user.clear(screen.getByLabelText(/^Floor per lead/));
    await user.type(screen.getByLabelText(/^Floor per lead/), '-600');
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    await waitFor(() =>
      expect(screen.getByLabelText(/^Floor per lead/)).toHaveAccessibleDescription(/Enter a positive amount/),
    );

    // Terms right but no file: the page asks for one and sends nothing.
    await user.clear(screen.getByLabelText(/^Market/));
    await user.type(screen.getByLabelText(/^Market/), 'eyewear');
    await user.clear(screen.getByLabelText(/^Floor per lead/));
    await user.type(screen.getByLabelText(/^Floor per lead/), '600');
    await user.type(screen.getByLabelText(/^Max sales/), '3');
    await user.clear(screen.getByLabelText(/^Listing lifetime/));
    await user.click(screen.getByRole('button', { name: 'Upload' }));
    expect(await screen.findByText('Choose a file to upload.')).toBeInTheDocument();
    expect(FakeXhr.sent).toHaveLength(0);
  });

  it('sends the chosen file as the body with the terms in the query, then follows the verification to its result', async () => {
    const user = userEvent.setup({ delay: null });
    renderPage();
    await user.upload(screen.getByLabelText('File'), csv());
    expect(await screen.findByText(/Chosen: Оптика Север\.csv/)).toBeInTheDocument();
    await user.type(screen.getByLabelText(/^Market/), 'eyewear');
    await user.type(screen.getByLabelText(/^Floor per lead/), '600,50');
    await user.selectOptions(screen.getByLabelText('Exclusivity'), 'shared');
    await user.type(screen.getByLabelText(/^Max sales/), '3');
    await user.type(screen.getByLabelText(/^Listing lifetime/), '48');
    await user.click(screen.getByRole('button', { name: 'Upload' }));

    await waitFor(() => expect(FakeXhr.sent).toHaveLength(1));
    const sent = FakeXhr.sent[0]!;
    expect(sent.method).toBe('POST');
    const url = new URL(sent.url, 'http://console.test');
    expect(url.pathname).toBe('/api/sellers/v1/batches');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      vertical: 'eyewear',
      floor: '60050',
      exclusivity: 'shared',
      maxSales: '3',
      listingLifetimeHours: '48',
    });
    expect(sent.headers['Content-Type']).toBe('text/csv');
    expect(sent.headers['Authorization']).toBe('Bearer sk_test_key');
    expect(sent.headers['Idempotency-Key']).toMatch(/^[0-9a-f-]{36}$/);
    expect(sent.body).toBeInstanceOf(File);
    expect((sent.body as File).name).toBe('Оптика Север.csv');

    expect(await screen.findByText('Verification finished', {}, { timeout: 4000 })).toBeInTheDocument();
    expect(screen.getByText('Accepted').nextSibling).toHaveTextContent('7');
    expect(screen.getByText('Rejected').nextSibling).toHaveTextContent('3');
    expect(screen.getByText('Invalid phone: 2')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Open the batch and its rejections' })).toHaveAttribute(
      'href',
      `/seller/batches/${BATCH_ID}`,
    );
  });

  it('shows the exchange’s 422 field messages next to the fields they name', async () => {
    FakeXhr.answer = {
      status: 422,
      body: {
        type: 'https://lead-exchange.dev/problems/market-closed',
        title: 'Terms refused',
        status: 422,
        errors: [
          { field: 'vertical', messages: ['No market is open for vertical "cars"'] },
          { field: 'floor', messages: ['floor is below the market minimum'] },
        ],
      },
    };
    const user = userEvent.setup({ delay: null });
    renderPage();
    await user.upload(screen.getByLabelText('File'), csv());
    await user.type(screen.getByLabelText(/^Market/), 'cars');
    await user.type(screen.getByLabelText(/^Floor per lead/), '1');
    await user.click(screen.getByRole('button', { name: 'Upload' }));

    await waitFor(() =>
      expect(screen.getByLabelText(/^Market/)).toHaveAccessibleDescription(
        /No market is open for vertical "cars"/,
      ),
    );
    expect(screen.getByLabelText(/^Floor per lead/)).toHaveAccessibleDescription(
      /floor is below the market minimum/,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Terms refused');
  });
});

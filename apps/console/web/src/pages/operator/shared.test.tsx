import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useParticipantNames } from './shared';

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

const early = { participantId: 'a7c1e2f0-0000-4000-8000-000000000001', role: 'buyer', name: 'Early Buyer' };
const late = { participantId: 'a7c1e2f0-0000-4000-8000-000000000002', role: 'seller', name: 'Late Seller' };

function Names({ ids }: { ids: string[] }) {
  const nameOf = useParticipantNames(50);
  return (
    <ul>
      {ids.map((id) => (
        <li key={id}>{nameOf(id) ?? `unknown ${id}`}</li>
      ))}
    </ul>
  );
}

describe('the participants’ names', () => {
  let registered = [early];
  let listed = 0;
  beforeEach(() => {
    registered = [early];
    listed = 0;
    vi.stubGlobal('fetch', async (request: Request) => {
      if (new URL(request.url).pathname.endsWith('/v1/participants')) listed++;
      return json({
        items: registered.map((participant) => ({ ...participant, suspended: false, apiKeys: [] })),
      });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  const renderNames = (ids: string[]) =>
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <Names ids={ids} />
      </QueryClientProvider>,
    );

  it('fetches the list again when asked for someone registered after it was fetched', async () => {
    renderNames([early.participantId, late.participantId]);
    await screen.findByText('Early Buyer');
    expect(screen.getByText(`unknown ${late.participantId}`)).toBeTruthy();
    registered = [early, late];
    await screen.findByText('Late Seller');
    expect(listed).toBe(2);
  });

  it('does not fetch it again while it names everyone asked for', async () => {
    renderNames([early.participantId]);
    await screen.findByText('Early Buyer');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(listed).toBe(1);
  });
});

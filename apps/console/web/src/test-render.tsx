import { MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';

/**
 * Renders `ui` for a component test as the console renders its pages: in Mantine's theme, with a
 * fresh query client that does not retry (a refused request shows at once), and in a router unless
 * the test brings its own (`inRouter: false`).
 */
export function renderInConsole(ui: ReactElement, { inRouter = true }: { inRouter?: boolean } = {}) {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(
    <MantineProvider>
      <QueryClientProvider client={client}>
        {inRouter ? <MemoryRouter>{ui}</MemoryRouter> : ui}
      </QueryClientProvider>
    </MantineProvider>,
  );
}

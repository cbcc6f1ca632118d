import '@mantine/core/styles.css';
import './console.css';
import './i18n/i18n';
import { MantineProvider, createTheme } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ApiProblem } from './api/problem';

const theme = createTheme({
  // People who ask their system for less motion get dialogs and menus without transitions.
  respectReducedMotion: true,
  primaryColor: 'indigo',
  // Darker shades than the defaults so text on filled buttons and links keeps a 4.5:1 contrast.
  primaryShade: 8,
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif',
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refused request (4xx) will be refused again: no retries for those.
      retry: (failures, error) =>
        !(error instanceof ApiProblem && error.problem.status < 500) && failures < 2,
      refetchOnWindowFocus: false,
    },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme}>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);

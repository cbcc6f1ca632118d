import '../../i18n/i18n';
import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { beforeAll, describe, expect, it } from 'vitest';
import i18n from '../../i18n/i18n';
import { ReplayRunView } from './ProofsPage';

type Run = Parameters<typeof ReplayRunView>[0]['run'];

const run = (fields: Partial<Run>): Run => ({
  id: '8d7c2f0e-4b8a-4c1e-9a51-0c2d6a3e1f00',
  state: 'running',
  requestedBy: 'auditor-1',
  upTo: null,
  requestedAt: '2026-12-04T10:00:00.000Z',
  startedAt: '2026-12-04T10:00:01.000Z',
  finishedAt: null,
  progress: { eventsRead: 0, position: null, sequence: null, total: null },
  proof: null,
  error: null,
  ...fields,
});

const show = (value: Run) =>
  render(
    <MantineProvider>
      <ReplayRunView run={value} />
    </MantineProvider>,
  );

describe('a replay run, as the auditor watches it', () => {
  beforeAll(async () => {
    await i18n.changeLanguage('en');
  });

  it('shows how far the replay has read, as a share of the log', () => {
    show(
      run({ progress: { eventsRead: 412_000, position: '9/500000', sequence: 500_000, total: 1_000_000 } }),
    );
    expect(
      screen.getByText('412,000 market inputs read, up to log position 9/500000 (50 % of the log).'),
    ).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Replay progress' })).toHaveAttribute(
      'aria-valuenow',
      '50',
    );
  });

  it('says when it waits for the replay before it, and when the store cannot say how long the log is', () => {
    show(run({ state: 'queued', startedAt: null }));
    expect(
      screen.getByText('Waiting for the replay before it to finish (one runs at a time).'),
    ).toBeInTheDocument();
    show(run({ progress: { eventsRead: 10, position: '3/77', sequence: 77, total: null } }));
    expect(screen.getByText('10 market inputs read, up to log position 3/77.')).toBeInTheDocument();
  });

  it('says why a run stopped', () => {
    show(run({ state: 'interrupted', error: 'The app running this replay stopped' }));
    expect(screen.getByText('The replay stopped before it finished')).toBeInTheDocument();
    expect(screen.getByText('The app running this replay stopped')).toBeInTheDocument();
  });
});

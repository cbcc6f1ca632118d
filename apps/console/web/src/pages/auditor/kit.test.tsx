import '../../i18n/i18n';
import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { beforeAll, describe, expect, it } from 'vitest';
import i18n from '../../i18n/i18n';
import { FieldList, humanize } from './kit';

const renderFields = (data: unknown, names?: Record<string, string>) =>
  render(
    <MantineProvider>
      <MemoryRouter>
        <FieldList data={data} names={names} />
      </MemoryRouter>
    </MantineProvider>,
  );

describe('event data, readable', () => {
  beforeAll(async () => {
    await i18n.changeLanguage('en');
  });

  it('shows money in major units with the currency the data names, and field names in words', () => {
    renderFields({ price: 60000, commission: 9000, currency: 'RUB', effectiveBid: 60000 });
    expect(screen.getByText('effective bid')).toBeInTheDocument();
    expect(screen.getAllByText('600.00 RUB')).toHaveLength(2);
    expect(screen.getByText('90.00 RUB')).toBeInTheDocument();
    expect(screen.queryByText('60000')).not.toBeInTheDocument();
  });

  it('names participants and links every id to its history; erased data shows as erased', () => {
    const buyer = '973f0a2e-8676-4186-9aeb-67d2f99de662';
    renderFields(
      {
        buyerId: buyer,
        allocationId: 'a1',
        decidedBy: 'system',
        statement: '(erased)',
        evidence: [{ kind: 'call_log', description: '(erased)' }],
      },
      { [buyer]: 'Optika Premium' },
    );
    expect(screen.getByRole('link', { name: 'Optika Premium' })).toHaveAttribute(
      'href',
      `/auditor/timeline/participant/${buyer}`,
    );
    expect(screen.getByText('buyer')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'a1' })).toHaveAttribute(
      'href',
      '/auditor/timeline/allocation/a1',
    );
    expect(screen.getByText('the exchange (automatic rules)')).toBeInTheDocument();
    expect(screen.getAllByText('erased')).toHaveLength(2);
    expect(screen.queryByText(buyer)).not.toBeInTheDocument();
  });

  it('writes field names as words', () => {
    expect(humanize('spentBefore')).toBe('spent before');
    expect(humanize('return_window_hours')).toBe('return window hours');
  });
});

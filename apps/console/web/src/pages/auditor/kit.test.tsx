import '../../i18n/i18n';
import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { beforeAll, describe, expect, it } from 'vitest';
import i18n from '../../i18n/i18n';
import { FieldList, humanize, kindLabel } from './kit';

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

  it('names the kinds of history in each language, and a kind it does not know in words', async () => {
    const label = (kind: string) => kindLabel(i18n.t.bind(i18n) as never, kind);
    expect(label('ping')).toBe('Ping');
    expect(label('doNotContactList')).toBe('Do-not-contact list');
    expect(label('authenticitySample')).toBe('Authenticity sample');
    expect(label('settlementRun')).toBe('settlement run');
    await i18n.changeLanguage('ru');
    expect(label('doNotContactList')).toBe('Список «не звонить»');
    await i18n.changeLanguage('es');
    expect(label('authenticitySample')).toBe('Muestra de autenticidad');
    await i18n.changeLanguage('en');
  });

  it('links a ping and a do-not-contact list named in event data to their histories', () => {
    renderFields({ pingId: 'p1', listId: 'd1' });
    expect(screen.getByRole('link', { name: 'p1' })).toHaveAttribute('href', '/auditor/timeline/ping/p1');
    expect(screen.getByRole('link', { name: 'd1' })).toHaveAttribute(
      'href',
      '/auditor/timeline/doNotContactList/d1',
    );
  });
});

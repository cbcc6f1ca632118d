import '../../i18n/i18n';
import { renderInConsole } from '../../test-render';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import i18n from '../../i18n/i18n';
import { MarketSettingsForm, type MarketSettings } from './MarketSettingsForm';

vi.setConfig({ testTimeout: 60_000 });

const CURRENT: MarketSettings = {
  vertical: 'eyewear',
  currency: 'RUB',
  commissionBps: 1500,
  returnWindowHours: 72,
  dedupeWindowDays: 30,
  listingLifetimeHours: 72,
  consentMaxAgeDays: 30,
  pingTtlSeconds: 15,
  authenticitySamplePercent: 10,
  authenticitySampleMin: 3,
  authenticityHoldPercent: 20,
  configured: true,
  revision: 2,
};

describe('the market settings form', () => {
  const bodies: unknown[] = [];
  beforeEach(async () => {
    bodies.length = 0;
    await i18n.changeLanguage('en');
    vi.stubGlobal('fetch', async (request: Request) => {
      bodies.push(await request.json());
      return new Response(JSON.stringify({ ...CURRENT, revision: 3 }), {
        status: 201,
        headers: { 'content-type': 'application/json' },
      });
    });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('publishes every setting in force again (settings are published whole), the changed one new', async () => {
    const user = userEvent.setup({ delay: null });
    renderInConsole(<MarketSettingsForm vertical="eyewear" current={CURRENT} />);
    const sample = await screen.findByRole('textbox', { name: 'Authenticity sample (%)' });
    await user.clear(sample);
    await user.type(sample, '25');
    await user.click(screen.getByRole('button', { name: 'Publish the new settings' }));
    await waitFor(() =>
      expect(bodies).toEqual([
        {
          currency: 'RUB',
          commissionBps: 1500,
          returnWindowHours: 72,
          dedupeWindowDays: 30,
          listingLifetimeHours: 72,
          consentMaxAgeDays: 30,
          pingTtlSeconds: 15,
          authenticitySamplePercent: 25,
          authenticitySampleMin: 3,
          authenticityHoldPercent: 20,
        },
      ]),
    );
  });

  it('refuses a ping time above 300 s and a hold share above 100 % before sending', async () => {
    const user = userEvent.setup({ delay: null });
    renderInConsole(<MarketSettingsForm vertical="eyewear" current={CURRENT} />);
    const ttl = await screen.findByRole('textbox', { name: 'Ping price stands (seconds)' });
    await user.clear(ttl);
    await user.type(ttl, '301');
    const hold = screen.getByRole('textbox', { name: 'Hold above failures (%)' });
    await user.clear(hold);
    await user.type(hold, '101');
    await user.click(screen.getByRole('button', { name: 'Publish the new settings' }));
    expect(await screen.findByText('From 1 to 300.')).toBeInTheDocument();
    expect(screen.getByText('From 0 to 100.')).toBeInTheDocument();
    expect(bodies).toEqual([]);
  });
});

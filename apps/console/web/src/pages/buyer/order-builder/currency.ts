import { useQuery } from '@tanstack/react-query';
import { buyersApi, data } from '../../../api/client';

/**
 * The currency the buyer's amounts are in: the market's, which the buyer's balance is held in
 * (deposits are confirmed in it). Null before any deposit.
 */
export function useBuyerCurrency(): { currency: string | null; isPending: boolean } {
  const account = useQuery({
    queryKey: ['buyer', 'account'],
    queryFn: async () => data(await buyersApi.GET('/v1/account')),
  });
  const balances = account.data?.balances ?? [];
  const best = [...balances].sort((a, b) => b.available - a.available)[0];
  return { currency: best?.currency ?? null, isPending: account.isPending };
}

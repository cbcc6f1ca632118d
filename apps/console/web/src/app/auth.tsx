import { useQuery } from '@tanstack/react-query';
import { useSyncExternalStore } from 'react';
import { sellersApi, data } from '../api/client';
import { session } from '../api/session';
import type { SellersAnswer } from '../api/types';

export type Me = SellersAnswer<'MeController_me'>;
export type Role = Me['role'];

export function useApiKey(): string | null {
  return useSyncExternalStore(session.subscribe, session.key);
}

/** Who the signed-in key belongs to (every app serves /v1/me; the console asks the sellers app). */
export function useMe() {
  const key = useApiKey();
  return useQuery({
    queryKey: ['me', key],
    enabled: key !== null,
    staleTime: 60_000,
    retry: false,
    queryFn: async () => data(await sellersApi.GET('/v1/me')),
  });
}

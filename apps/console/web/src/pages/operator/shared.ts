import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { data, settlementApi } from '../../api/client';
import { toApiProblem } from '../../api/problem';
import type { SettlementAnswer } from '../../api/types';

export type Participant = SettlementAnswer<'ParticipantsController_list'>['items'][number];
export type Role = Participant['role'];
export const ROLES: Role[] = ['seller', 'buyer', 'auditor', 'operator'];

/** Every participant (all pages), to name them wherever the API gives an id. */
export function useAllParticipants(role?: Role) {
  return useQuery({
    queryKey: ['operator', 'participants', 'all', role ?? 'any'],
    staleTime: 10_000,
    queryFn: async () => {
      const items: Participant[] = [];
      let cursor: string | undefined;
      do {
        const page = data(
          await settlementApi.GET('/v1/participants', { params: { query: { limit: 500, cursor, role } } }),
        );
        items.push(...page.items);
        cursor = page.nextCursor;
      } while (cursor);
      return items;
    },
  });
}

/**
 * id → name of every participant (the exchange's own accounts are named `exchange`). The list is
 * cached and not refetched on focus: asked for an id it does not hold (a participant registered
 * since), it fetches the list again, at most once every `refreshUnknownAfterMs`.
 */
export function useParticipantNames(
  refreshUnknownAfterMs = 5_000,
): (id: string | null | undefined) => string | undefined {
  const participants = useAllParticipants();
  const { data, dataUpdatedAt, isFetching, refetch } = participants;
  const unknownAsked = useRef(false);
  useEffect(() => {
    if (!unknownAsked.current || !data || isFetching) return;
    const timer = setTimeout(
      () => {
        unknownAsked.current = false;
        void refetch();
      },
      Math.max(0, dataUpdatedAt + refreshUnknownAfterMs - Date.now()),
    );
    return () => clearTimeout(timer);
  });
  const names = new Map((data ?? []).map((participant) => [participant.participantId, participant.name]));
  return (id) => {
    if (!id) return undefined;
    const name = names.get(id);
    if (name === undefined && data) unknownAsked.current = true;
    return name;
  };
}

/**
 * Puts the messages a refused request gave for the form's fields next to those fields; true when
 * at least one field took a message (otherwise the page shows the whole problem).
 */
export function showFieldProblems<F extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<F>,
  fields: readonly Path<F>[],
): boolean {
  const problem = toApiProblem(error);
  let shown = false;
  for (const field of fields) {
    const messages = problem.fieldMessages(field);
    if (messages.length > 0) {
      setError(field, { type: 'server', message: messages.join('; ') });
      shown = true;
    }
  }
  return shown;
}

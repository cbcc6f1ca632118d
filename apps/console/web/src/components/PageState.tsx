import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from './ProblemAlert';

/** What QueryState reads of a query (plain and infinite queries both fit). */
export interface QueryLike<T> {
  isPending: boolean;
  isError: boolean;
  error: unknown;
  data: T | undefined;
  refetch: () => unknown;
}

/**
 * The loading, error and empty states every page shows the same way; renders `children` with the
 * data once it is there.
 */
export function QueryState<T>({
  query,
  isEmpty,
  empty,
  children,
}: {
  query: QueryLike<T>;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { t } = useTranslation();
  if (query.isPending)
    return (
      <Center py="xl" role="status" aria-live="polite">
        <Loader size="sm" mr="sm" aria-hidden />
        <Text>{t('state.loading')}</Text>
      </Center>
    );
  if (query.isError)
    return (
      <Stack gap="sm" align="flex-start">
        <ProblemAlert error={query.error} title={t('state.error')} />
        <Button variant="light" onClick={() => void query.refetch()}>
          {t('state.retry')}
        </Button>
      </Stack>
    );
  if (query.data === undefined) return null;
  if (isEmpty?.(query.data))
    return (
      <Text c="dimmed" py="lg">
        {empty ?? t('state.empty')}
      </Text>
    );
  return <>{children(query.data)}</>;
}

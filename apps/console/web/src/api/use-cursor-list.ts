import { useInfiniteQuery, type QueryKey } from '@tanstack/react-query';

export interface Page<Item> {
  items: Item[];
  nextCursor?: string;
}

/**
 * A cursor-paginated list (every list of the exchange answers `{ items, nextCursor }`): pages are
 * fetched on demand and flattened; `refetchInterval` keeps a live list fresh without a reload.
 */
export function useCursorList<Item>(
  queryKey: QueryKey,
  fetchPage: (cursor: string | undefined) => Promise<Page<Item>>,
  options: { refetchInterval?: number | false; enabled?: boolean } = {},
) {
  const query = useInfiniteQuery({
    queryKey,
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => fetchPage(pageParam),
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: options.refetchInterval ?? false,
    enabled: options.enabled ?? true,
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return { query, items, hasMore: query.hasNextPage, loadMore: () => void query.fetchNextPage() };
}

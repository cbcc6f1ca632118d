import { Button, Group, ScrollArea, Table, Text, UnstyledButton } from '@mantine/core';
import {
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type SortingState,
} from '@tanstack/react-table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A table of rows with sortable columns (TanStack Table) and, for cursor-paginated lists, a
 * "load more" button that fetches the next page. Scrolls sideways on a phone.
 */
export function DataTable<Row>({
  columns,
  rows,
  caption,
  hasMore,
  loadingMore,
  onLoadMore,
  rowKey,
}: {
  columns: ColumnDef<Row, any>[];
  rows: Row[];
  caption: string;
  hasMore?: boolean;
  loadingMore?: boolean;
  onLoadMore?: () => void;
  rowKey?: (row: Row) => string;
}) {
  const { t } = useTranslation();
  const [sorting, setSorting] = useState<SortingState>([]);
  const table = useReactTable({
    data: rows,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
    ...(rowKey ? { getRowId: (row: Row) => rowKey(row) } : {}),
  });
  return (
    <>
      <ScrollArea type="auto">
        <Table striped highlightOnHover verticalSpacing="xs" miw={600}>
          <Table.Caption style={{ captionSide: 'top', textAlign: 'left' }}>{caption}</Table.Caption>
          <Table.Thead>
            {table.getHeaderGroups().map((group) => (
              <Table.Tr key={group.id}>
                {group.headers.map((header) => {
                  const sorted = header.column.getIsSorted();
                  const label = flexRender(header.column.columnDef.header, header.getContext());
                  return (
                    <Table.Th
                      key={header.id}
                      aria-sort={
                        sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined
                      }
                    >
                      {header.column.getCanSort() ? (
                        <UnstyledButton onClick={header.column.getToggleSortingHandler()} fw={600} fz="sm">
                          {label}
                          {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
                        </UnstyledButton>
                      ) : (
                        label
                      )}
                    </Table.Th>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Thead>
          <Table.Tbody>
            {table.getRowModel().rows.map((row) => (
              <Table.Tr key={row.id}>
                {row.getVisibleCells().map((cell) => (
                  <Table.Td key={cell.id}>
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {rows.length === 0 && (
        <Text c="dimmed" py="md">
          {t('table.noRows')}
        </Text>
      )}
      {hasMore && onLoadMore && (
        <Group justify="center" mt="sm">
          <Button variant="light" loading={loadingMore} onClick={onLoadMore}>
            {t('state.loadMore')}
          </Button>
        </Group>
      )}
    </>
  );
}

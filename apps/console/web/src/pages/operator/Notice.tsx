import { Paper, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/**
 * What the exchange answered to an action (registered, deposited, paid out, a new key): a bordered
 * note in the page's own text colours (tinted alerts fall under WCAG AA's contrast on links and
 * small text), marked by a coloured edge; announced to screen readers.
 */
export function Notice({
  title,
  tone = 'good',
  children,
}: {
  title: string;
  tone?: 'good' | 'warning';
  children: ReactNode;
}) {
  return (
    <Paper
      withBorder
      p="sm"
      role="status"
      style={{
        borderLeft: `4px solid var(--mantine-color-${tone === 'good' ? 'teal' : 'red'}-9)`,
      }}
    >
      <Stack gap={4}>
        <Text fw={700}>{title}</Text>
        <div>{children}</div>
      </Stack>
    </Paper>
  );
}

import { Card, Title, type TitleOrder } from '@mantine/core';
import type { ReactNode } from 'react';

/** A page's one level-1 heading, the size every page of the console gives it. */
export function PageTitle({ children }: { children: ReactNode }) {
  return (
    <Title order={1} size="h2">
      {children}
    </Title>
  );
}

/** The heading of a part of a page (a table, a form), one level below the page's title. */
export function SectionTitle({ children }: { children: ReactNode }) {
  return (
    <Title order={2} size="h3">
      {children}
    </Title>
  );
}

/**
 * A bordered card that is a landmark named by its heading (`aria-labelledby`), so that a screen
 * reader lists it under that name: the heading comes first, `children` below it.
 */
export function SectionCard({
  id,
  title,
  headingOrder = 2,
  headingGap = 'sm',
  children,
}: {
  id: string;
  title: ReactNode;
  headingOrder?: TitleOrder;
  headingGap?: 'xs' | 'sm';
  children?: ReactNode;
}) {
  return (
    <Card withBorder component="section" aria-labelledby={id}>
      <Title order={headingOrder} size="h4" id={id} mb={headingGap}>
        {title}
      </Title>
      {children}
    </Card>
  );
}

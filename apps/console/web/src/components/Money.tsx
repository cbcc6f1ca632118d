import { Table } from '@mantine/core';
import { formatInstant, formatMoney } from '../format/format';
import { useLocale } from '../i18n/use-locale';

/** An amount in minor units, shown in major units with its currency in the reader's conventions. */
export function Money({ minor, currency }: { minor: number; currency: string }) {
  const locale = useLocale();
  return <span style={{ whiteSpace: 'nowrap' }}>{formatMoney(minor, currency, locale)}</span>;
}

/** Amounts of one currency as a table row's cells, in the order given (the order of the columns). */
export function MoneyCells({ amounts, currency }: { amounts: readonly number[]; currency: string }) {
  return amounts.map((minor, column) => (
    <Table.Td key={column}>
      <Money minor={minor} currency={currency} />
    </Table.Td>
  ));
}

export function Instant({ iso }: { iso: string | null | undefined }) {
  const locale = useLocale();
  if (!iso) return <span>—</span>;
  return <time dateTime={iso}>{formatInstant(iso, locale)}</time>;
}

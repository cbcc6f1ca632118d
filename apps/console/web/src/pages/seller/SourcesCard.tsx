import { createColumnHelper } from '@tanstack/react-table';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { data, sellersApi } from '../../api/client';
import { DataTable } from '../../components/DataTable';
import { SectionCard } from '../../components/Headings';
import { Money } from '../../components/Money';
import { QueryState } from '../../components/PageState';
import { formatNumber, formatPercent } from '../../format/format';
import { useLocale } from '../../i18n/use-locale';

type Report = Awaited<ReturnType<typeof fetchReport>>;
type Entry = Report['items'][number];
/** A source or one of its sub-sources, as one row of the table. */
interface Row {
  key: string;
  label: string;
  sub: boolean;
  currency: string;
  figures: Omit<Entry, 'source' | 'currency' | 'subSources'>;
}
const column = createColumnHelper<Row>();

const fetchReport = async () => data(await sellersApi.GET('/v1/reports/sources'));

/** Quality by source: the seller's leads listed, sold, returned, converted, their quality and proceeds per source and sub-source. */
export function SourcesCard() {
  const { t } = useTranslation();
  const locale = useLocale();
  const report = useQuery({ queryKey: ['seller', 'sources'], queryFn: fetchReport });
  const untagged = t('seller.dashboard.sources.untagged');
  const rate = (bps: number | null) => (bps === null ? '—' : formatPercent(bps / 10_000, locale));
  const columns = [
    column.accessor('label', {
      header: t('seller.dashboard.sources.source'),
      cell: (cell) => (cell.row.original.sub ? `↳ ${cell.getValue()}` : cell.getValue()),
    }),
    column.accessor((row) => row.figures.listed, {
      id: 'listed',
      header: t('seller.dashboard.listed'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    column.accessor((row) => row.figures.sold, {
      id: 'sold',
      header: t('seller.dashboard.sold'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    column.accessor((row) => row.figures.returned, {
      id: 'returned',
      header: t('seller.dashboard.returned'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    column.accessor((row) => row.figures.returnRateBps, {
      id: 'returnRate',
      header: t('seller.dashboard.returnRate'),
      cell: (cell) => rate(cell.getValue()),
    }),
    column.accessor((row) => row.figures.conversions, {
      id: 'conversions',
      header: t('seller.dashboard.sources.conversions'),
      cell: (cell) => formatNumber(cell.getValue(), locale),
    }),
    column.accessor((row) => row.figures.averageQuality, {
      id: 'quality',
      header: t('seller.dashboard.qualityScore'),
      cell: (cell) => {
        const value = cell.getValue();
        return value === null ? '—' : formatNumber(value, locale, { maximumFractionDigits: 1 });
      },
    }),
    column.accessor((row) => row.figures.proceeds, {
      id: 'proceeds',
      header: t('seller.dashboard.sources.proceeds'),
      cell: (cell) => <Money minor={cell.getValue()} currency={cell.row.original.currency} />,
    }),
  ];
  const rowsOf = (items: Entry[]): Row[] =>
    items.flatMap(({ source, currency, subSources, ...figures }) => {
      const label = source ?? untagged;
      const head: Row = {
        key: `${currency}:${label}`,
        label: `${label} (${currency})`,
        sub: false,
        currency,
        figures,
      };
      const split = subSources.length > 1 || subSources[0]?.subSource;
      return [
        head,
        ...(split
          ? subSources.map(({ subSource, ...sub }) => ({
              key: `${currency}:${label}:${subSource ?? ''}`,
              label: subSource ?? untagged,
              sub: true,
              currency,
              figures: sub,
            }))
          : []),
      ];
    });
  return (
    <SectionCard id="sources" title={t('seller.dashboard.sources.title')}>
      <QueryState
        query={report}
        isEmpty={(answer) => answer.items.length === 0}
        empty={t('seller.dashboard.sources.empty')}
      >
        {(answer) => (
          <DataTable
            caption={t('seller.dashboard.sources.caption')}
            columns={columns}
            rows={rowsOf(answer.items)}
            rowKey={(row) => row.key}
          />
        )}
      </QueryState>
    </SectionCard>
  );
}

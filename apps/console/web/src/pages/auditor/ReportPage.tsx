import { Button, Group, SegmentedControl, Stack } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { download } from '../../api/client';
import { QueryState } from '../../components/PageState';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useDisputeReport, useDisputeReportHtml } from './dispute-report';
import { EntityLink, FieldList, JsonDownload } from './kit';
import { PageTitle } from '../../components/Headings';

/** The dispute report of an allocation: the exchange's own HTML in a sandboxed frame, or its facts; the PDF to keep. */
export default function ReportPage() {
  const { t } = useTranslation();
  const { allocationId = '' } = useParams();
  const [view, setView] = useState<'document' | 'facts'>('document');
  const html = useDisputeReportHtml(allocationId);
  const report = useDisputeReport(allocationId);
  const pdf = useMutation({
    mutationFn: () =>
      download('settlement', `/v1/audit/disputes/${allocationId}/report.pdf`, `dispute-${allocationId}.pdf`),
  });
  return (
    <Stack>
      <PageTitle>{t('auditor.report.title')}</PageTitle>
      <Group gap="sm" wrap="wrap">
        <EntityLink kind="allocation" id={allocationId}>
          {t('auditor.disputes.timeline')}
        </EntityLink>
        <Button onClick={() => pdf.mutate()} loading={pdf.isPending}>
          {t('auditor.report.pdf')}
        </Button>
        {report.data && (
          <JsonDownload
            value={report.data}
            filename={`dispute-${allocationId}.json`}
            label={t('auditor.downloadJson')}
          />
        )}
      </Group>
      {pdf.isError && <ProblemAlert error={pdf.error} />}
      <SegmentedControl
        value={view}
        onChange={(value) => setView(value as 'document' | 'facts')}
        data={[
          { value: 'document', label: t('auditor.report.document') },
          { value: 'facts', label: t('auditor.report.facts') },
        ]}
        aria-label={t('auditor.report.view')}
        style={{ alignSelf: 'flex-start' }}
      />
      {view === 'document' ? (
        <QueryState query={html}>
          {(document) => (
            <iframe
              title={t('auditor.report.frameTitle')}
              sandbox=""
              srcDoc={document}
              className="lx-report-frame"
            />
          )}
        </QueryState>
      ) : (
        <QueryState query={report}>
          {(r) => (
            <FieldList
              data={r}
              currency={r.market.currency}
              names={Object.fromEntries(
                Object.entries(r.participants).map(([participantId, participant]) => [
                  participantId,
                  participant.name,
                ]),
              )}
            />
          )}
        </QueryState>
      )}
    </Stack>
  );
}

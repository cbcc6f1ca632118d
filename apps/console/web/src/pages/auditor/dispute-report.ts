import { useQuery } from '@tanstack/react-query';
import { data, settlementApi } from '../../api/client';

/** The JSON dispute report (GET /v1/audit/disputes/{id}/report.json), the parts the console reads. */
export interface DisputeReport {
  allocationId: string;
  generatedAt: string;
  participants: Record<string, { name: string; role?: string }>;
  market: { vertical: string; currency: string };
  returnWindow: {
    hours: number;
    opensAt: string;
    closesAt: string;
    requestedAt: string | null;
    filedInTime: boolean | null;
  };
  allocation: Record<string, unknown> & { position: string; buyerId?: string; sellerId?: string };
  returnRequest: (Record<string, unknown> & { position: string; reason?: string; text?: string }) | null;
  sellerResponse:
    (Record<string, unknown> & { position: string; answer: unknown; statement?: string }) | null;
  escalation: (Record<string, unknown> & { position: string; reason?: string; escalatedBy?: string }) | null;
  /** The automatic rules applied to the return, in log order. */
  automaticRules: {
    rule: string;
    outcome: 'passed' | 'not-applicable' | 'escalated' | 'accepted' | 'rejected';
    detail: string;
    at: string;
    position: string;
  }[];
  decision: { outcome: 'accepted' | 'rejected'; rule: string; decidedBy: string; rationale: string } | null;
  settlement: (Record<string, unknown> & { position: string }) | null;
  finding: string;
}

export function useDisputeReport(allocationId: string) {
  return useQuery({
    queryKey: ['auditor', 'report', allocationId],
    queryFn: async () =>
      data(
        await settlementApi.GET('/v1/audit/disputes/{allocationId}/report.{format}', {
          params: { path: { allocationId, format: 'json' } },
        }),
      ) as unknown as DisputeReport,
  });
}

/** The HTML variant, shown in a sandboxed frame. */
export function useDisputeReportHtml(allocationId: string) {
  return useQuery({
    queryKey: ['auditor', 'report-html', allocationId],
    queryFn: async () =>
      data(
        await settlementApi.GET('/v1/audit/disputes/{allocationId}/report.{format}', {
          params: { path: { allocationId, format: 'html' } },
          parseAs: 'text',
        }),
      ) as string,
  });
}

/*
 * The rows of the ledger read model as its queries answer them. Declared here, with the query
 * messages that carry them; infrastructure/ledger.queries.ts reads them from PostgreSQL.
 */

export interface AccountBalance {
  accountId: string;
  kind: string;
  ownerId: string;
  currency: string;
  balance: number;
}

export interface TransferView {
  allocationId: string;
  status: 'pending' | 'posted' | 'voided';
  buyerId: string;
  sellerId: string;
  orderId: string;
  currency: string;
  price: number;
  proceeds: number;
  commission: number;
  openedAtPosition: string;
  closedAtPosition: string | null;
  refundedTo: string | null;
}

export interface TransferFilter {
  status?: TransferView['status'];
  buyerId?: string;
  sellerId?: string;
  currency?: string;
}

export interface PayoutView {
  payoutId: string;
  sellerId: string;
  currency: string;
  amount: number;
  occurredAt: string;
  position: string;
}

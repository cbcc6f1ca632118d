import type { BuyersAnswer } from '../../api/types';

export type Purchase = BuyersAnswer<'PurchasedLeadsController_list'>['items'][number];
export type PurchaseDetail = BuyersAnswer<'PurchasedLeadsController_detail'>;
export type BuyerOrder = BuyersAnswer<'OrdersController_list'>['items'][number];

/** The person of a purchased lead as its buyer may read them: name, phone and e-mail. */
export interface Person {
  name: string;
  phone: string;
  email: string;
  status: PurchaseDetail['lead']['personalDataStatus'];
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

export function personOf(detail: PurchaseDetail | undefined): Person | undefined {
  if (!detail) return undefined;
  const data = detail.lead.personalData ?? {};
  const name = text(data.name) || [text(data.firstName), text(data.lastName)].filter(Boolean).join(' ');
  return {
    name,
    phone: text(data.phone),
    email: text(data.email),
    status: detail.lead.personalDataStatus,
  };
}

import type { MessagesOf } from '../en/index';
import type { buyer as english } from '../en/buyer';

export const buyer: MessagesOf<typeof english> = {
  nav: {
    dashboard: 'Panel',
    newOrder: 'Nueva orden',
    orders: 'Órdenes',
    leads: 'Leads comprados',
    delivery: 'Entrega',
    funds: 'Fondos',
  },
};

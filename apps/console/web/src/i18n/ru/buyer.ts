import type { MessagesOf } from '../en/index';
import type { buyer as english } from '../en/buyer';

export const buyer: MessagesOf<typeof english> = {
  nav: {
    dashboard: 'Сводка',
    newOrder: 'Новый заказ',
    orders: 'Заказы',
    leads: 'Купленные лиды',
    delivery: 'Доставка',
    funds: 'Средства',
  },
};

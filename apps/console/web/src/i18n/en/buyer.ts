/** The buyer portal's messages. */
export const buyer = {
  nav: {
    dashboard: 'Dashboard',
    newOrder: 'New order',
    orders: 'Orders',
    leads: 'Purchased leads',
    delivery: 'Delivery',
    funds: 'Funds',
  },
};

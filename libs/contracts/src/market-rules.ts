/**
 * The rules of the market as every API document states them (the README says the same, for people
 * who start there). Markdown, appended to each app's OpenAPI description.
 */
export const MARKET_RULES = `
## Rules of the market

- **Money** is an integer number of **minor units** of the market's currency in every field (\`60000\` = 600,00 RUB), as in Stripe's API. A market has one currency, fixed by its settings.
- **Effective bid** = the order's bid + the modifiers of the desirable attributes the lead has, capped by \`maxBid\`.
- **Who wins**: eligible orders (open, funded, inside their delivery schedule, every filter holds, bid ≥ floor, quantity, budget, daily and hourly caps left, not the same person inside the dedupe window) rank by effective bid, then placement (earlier first), then order id.
- **Delivery schedule** (optional): weekly windows in the buyer's IANA time zone (\`Mon–Fri 09:00–18:00, Sat 10:00–14:00\` in \`Europe/Madrid\`); outside them the order does not match. They are read on the market's clock (the time of each listing or clock tick in the log), local wall-clock time, summer time included. When a window opens, the next market clock tick offers the order the resting leads at their floor. Hourly caps count per clock hour (UTC) of the market's clock, daily caps per UTC day.
- **Exclusive lead**: second price with the floor as reserve — the winner pays max(floor, the second-highest eligible bid).
- **Shared lead** sold to up to N buyers: the N best bids win (one order per buyer) and each pays the same price, max(floor, the (N+1)-th bid).
- **Resting leads** sell at their floor to a new order that accepts them; the order takes first the resting leads it values most — its effective bid with modifiers, then quality score, then freshness, then listing order.
- **Commission**: the market's basis points of the price, rounded half to even, from the seller's side: price = seller's proceeds + commission.
- **Dedupe window** (market setting, 30 days by default): the same person is refused at upload if already listed inside it, and never sold twice to one buyer inside it.
- **Return window** (market setting, 72 h by default) runs from the allocation; a later return is refused automatically. When it closes the sale settles; an accepted return voids it and refunds the buyer.

Errors are RFC 9457 \`application/problem+json\`; lists are cursor-paginated (\`limit\`, \`cursor\`, \`nextCursor\`); every POST takes an \`Idempotency-Key\`.
`;

import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Command, Query } from '@nestjs/cqrs';
import * as participantCommands from '../../access/src/application/participant-commands.js';
import * as participantQueries from '../../access/src/application/participant-queries.js';
import * as auditCommands from '../../audit/src/application/audit-commands.js';
import * as auditQueries from '../../audit/src/application/audit-queries.js';
import * as replayHandlers from '../../audit/src/infrastructure/replay-handlers.js';
import * as afterSaleCommands from '../../buyers/src/application/after-sale-commands.js';
import * as buyerAccountCommands from '../../buyers/src/application/buyer-account-commands.js';
import * as buyerReads from '../../buyers/src/application/buyer-reads.js';
import * as deliveryCommands from '../../buyers/src/application/delivery-commands.js';
import * as buyerReadHandlers from '../../buyers/src/infrastructure/buyer-read-handlers.js';
import * as deliveryCommandHandlers from '../../buyers/src/infrastructure/delivery-command-handlers.js';
import * as doNotContactMessages from '../../leads/src/application/do-not-contact/do-not-contact-commands.js';
import * as sellerCommands from '../../leads/src/application/seller-commands.js';
import * as sellerReads from '../../leads/src/application/seller-reads.js';
import * as sellerHandlers from '../../leads/src/infrastructure/seller-handlers.js';
import * as ledgerQueries from '../../ledger/src/application/ledger-queries.js';
import * as ledgerReadHandlers from '../../ledger/src/infrastructure/ledger-read-handlers.js';
import * as payoutCommands from '../../ledger/src/application/payout-commands.js';
import * as marketSettings from '../../matching/src/application/market-settings.handlers.js';
import * as disputeCommands from '../../returns/src/application/dispute-commands.js';
import * as disputeQueries from '../../returns/src/application/dispute-queries.js';

/*
 * A command or query dispatched with no handler registered fails only when a request sends it (a
 * 500). Each library declares its messages and exports its handlers as the list its module
 * registers: every message must have exactly one handler in that list. A handler that only drives an
 * adapter lives in the library's infrastructure (docs/architecture.md §1): its list joins the
 * application's here, as it does in the module.
 */

// Where @nestjs/cqrs's @CommandHandler and @QueryHandler record the message a handler is for
// (decorators/constants.js in the package, which does not export them).
const HANDLED_COMMAND = '__commandHandler__';
const HANDLED_QUERY = '__queryHandler__';

type Class = abstract new (...args: never[]) => unknown;

const messageFiles: Record<string, { exports: Record<string, unknown>; handlers: unknown[] }> = {
  'access participant commands': {
    exports: participantCommands,
    handlers: participantCommands.participantCommandHandlers,
  },
  'access participant queries': {
    exports: participantQueries,
    handlers: participantQueries.participantQueryHandlers,
  },
  'audit commands': {
    exports: auditCommands,
    handlers: [...auditCommands.auditCommandHandlers, ...replayHandlers.replayCommandHandlers],
  },
  'audit queries': {
    exports: auditQueries,
    handlers: [...auditQueries.auditQueryHandlers, ...replayHandlers.replayQueryHandlers],
  },
  'buyers after-sale commands': {
    exports: afterSaleCommands,
    handlers: afterSaleCommands.afterSaleCommandHandlers,
  },
  'buyers account commands': {
    exports: buyerAccountCommands,
    handlers: buyerAccountCommands.buyerAccountCommandHandlers,
  },
  'buyers delivery commands': {
    exports: deliveryCommands,
    handlers: deliveryCommandHandlers.deliveryCommandHandlers,
  },
  'buyers queries': {
    exports: buyerReads,
    handlers: [...buyerReads.buyerQueryHandlers, ...buyerReadHandlers.buyerReadAdapterHandlers],
  },
  'leads commands': {
    exports: sellerCommands,
    handlers: [...sellerCommands.sellerCommandHandlers, ...sellerHandlers.sellerCommandAdapterHandlers],
  },
  'leads queries': {
    exports: sellerReads,
    handlers: [...sellerReads.sellerQueryHandlers, ...sellerHandlers.sellerQueryAdapterHandlers],
  },
  'leads do-not-contact lists': {
    exports: doNotContactMessages,
    handlers: [
      ...doNotContactMessages.doNotContactCommandHandlers,
      ...sellerHandlers.doNotContactQueryAdapterHandlers,
    ],
  },
  'ledger commands': { exports: payoutCommands, handlers: payoutCommands.ledgerCommandHandlers },
  'ledger queries': { exports: ledgerQueries, handlers: ledgerReadHandlers.ledgerQueryHandlers },
  'matching market settings': { exports: marketSettings, handlers: marketSettings.marketSettingsHandlers },
  'returns commands': { exports: disputeCommands, handlers: disputeCommands.disputeCommandHandlers },
  'returns queries': { exports: disputeQueries, handlers: disputeQueries.disputeQueryHandlers },
};

const isClass = (value: unknown): value is Class => typeof value === 'function' && 'prototype' in value;
const extendsFrom = (base: Class) => (value: unknown) =>
  isClass(value) && value !== base && value.prototype instanceof base;

function messagesOf(exports: Record<string, unknown>): Class[] {
  return Object.values(exports).filter(
    (value): value is Class => extendsFrom(Command)(value) || extendsFrom(Query)(value),
  );
}

function handledBy(handler: unknown): unknown {
  if (!isClass(handler)) return undefined;
  return Reflect.getMetadata(HANDLED_COMMAND, handler) ?? Reflect.getMetadata(HANDLED_QUERY, handler);
}

describe('commands and queries', () => {
  it.each(Object.entries(messageFiles))('%s: every message has exactly one registered handler', (_, file) => {
    const messages = messagesOf(file.exports);
    expect(messages.length).toBeGreaterThan(0);
    const handled = file.handlers.map(handledBy);
    for (const message of messages)
      expect({ message: message.name, handlers: handled.filter((m) => m === message).length }).toEqual({
        message: message.name,
        handlers: 1,
      });
    // And no handler in the list is for a message the file does not declare.
    expect(handled.filter((message) => !messages.includes(message as Class))).toEqual([]);
  });
});

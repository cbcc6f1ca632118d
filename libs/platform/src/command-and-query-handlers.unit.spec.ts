import 'reflect-metadata';
import { describe, expect, it } from '@jest/globals';
import { Command, Query } from '@nestjs/cqrs';
import * as participantCommands from '../../access/src/application/participant-commands.js';
import * as participantQueries from '../../access/src/application/participant-queries.js';
import * as auditCommands from '../../audit/src/application/audit-commands.js';
import * as auditQueries from '../../audit/src/application/audit-queries.js';
import * as afterSaleCommands from '../../buyers/src/application/after-sale-commands.js';
import * as buyerAccountCommands from '../../buyers/src/application/buyer-account-commands.js';
import * as buyerReads from '../../buyers/src/application/buyer-reads.js';
import * as deliveryCommands from '../../buyers/src/application/delivery-commands.js';
import * as sellerCommands from '../../leads/src/application/seller-commands.js';
import * as sellerReads from '../../leads/src/application/seller-reads.js';
import * as ledgerQueries from '../../ledger/src/application/ledger-queries.js';
import * as payoutCommands from '../../ledger/src/application/payout-commands.js';
import * as marketSettings from '../../matching/src/application/market-settings.handlers.js';
import * as disputeCommands from '../../returns/src/application/dispute-commands.js';
import * as disputeQueries from '../../returns/src/application/dispute-queries.js';

/*
 * A command or query dispatched with no handler registered fails only when a request sends it (a
 * 500). Each library declares its messages and exports its handlers as the list its module
 * registers: every message must have exactly one handler in that list.
 */

// Where @nestjs/cqrs's @CommandHandler and @QueryHandler record the message a handler is for
// (decorators/constants.js in the package, which does not export them).
const HANDLED_COMMAND = '__commandHandler__';
const HANDLED_QUERY = '__queryHandler__';

type Class = abstract new (...args: never[]) => unknown;

/** A library's message file and the handler list (one of its exports, by name) its module registers. */
interface MessageFile {
  exports: Record<string, unknown>;
  handlers: unknown[];
}
function messageFile<Exports extends Record<string, unknown>>(
  exports: Exports,
  handlerList: keyof Exports & string,
): MessageFile {
  return { exports, handlers: exports[handlerList] as unknown[] };
}

const messageFiles: Record<string, MessageFile> = {
  'access participant commands': messageFile(participantCommands, 'participantCommandHandlers'),
  'access participant queries': messageFile(participantQueries, 'participantQueryHandlers'),
  'audit commands': messageFile(auditCommands, 'auditCommandHandlers'),
  'audit queries': messageFile(auditQueries, 'auditQueryHandlers'),
  'buyers after-sale commands': messageFile(afterSaleCommands, 'afterSaleCommandHandlers'),
  'buyers account commands': messageFile(buyerAccountCommands, 'buyerAccountCommandHandlers'),
  'buyers delivery commands': messageFile(deliveryCommands, 'deliveryCommandHandlers'),
  'buyers queries': messageFile(buyerReads, 'buyerQueryHandlers'),
  'leads commands': messageFile(sellerCommands, 'sellerCommandHandlers'),
  'leads queries': messageFile(sellerReads, 'sellerQueryHandlers'),
  'ledger commands': messageFile(payoutCommands, 'ledgerCommandHandlers'),
  'ledger queries': messageFile(ledgerQueries, 'ledgerQueryHandlers'),
  'matching market settings': messageFile(marketSettings, 'marketSettingsHandlers'),
  'returns commands': messageFile(disputeCommands, 'disputeCommandHandlers'),
  'returns queries': messageFile(disputeQueries, 'disputeQueryHandlers'),
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

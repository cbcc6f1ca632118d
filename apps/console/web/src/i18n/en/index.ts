import { common } from './common';
import { seller } from './seller';
import { buyer } from './buyer';
import { auditor } from './auditor';
import { operator } from './operator';
import { purchases } from './purchases';

/** Every English message; es and ru must have exactly these keys (the types check it). */
export const en = { ...common, seller, buyer, purchases, auditor, operator };

/** The shape of a message tree: the same keys, any strings. */
export type MessagesOf<T> = { [K in keyof T]: T[K] extends string ? string : MessagesOf<T[K]> };
export type Messages = MessagesOf<typeof en>;

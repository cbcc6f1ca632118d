import type { Messages } from '../en/index';
import { common } from './common';
import { seller } from './seller';
import { buyer } from './buyer';
import { auditor } from './auditor';
import { operator } from './operator';
import { purchases } from './purchases';

export const ru: Messages = { ...common, seller, buyer, purchases, auditor, operator };

import type { ComponentType, LazyExoticComponent } from 'react';
import type { Role } from './auth';

/** One page of a role's portal: where it lives, the message key of its name, and the page. */
export interface PortalPage {
  /** Path under the role's root, e.g. `batches` or `batches/:batchId` (the first page is the role's home). */
  path: string;
  /** Message key of the page's name in the navigation. */
  label: string;
  /** Shown in the navigation (pages reached from another page, like a batch's detail, are not). */
  nav?: boolean;
  component: LazyExoticComponent<ComponentType> | ComponentType;
}

export type Portal = { role: Role; root: string; pages: PortalPage[] };

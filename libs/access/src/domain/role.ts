export const ROLES = ['seller', 'buyer', 'auditor', 'operator'] as const;
export type Role = (typeof ROLES)[number];

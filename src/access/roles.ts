import type { Role } from '../contracts/index.ts';

export { ROLES, type Role, role } from '../contracts/index.ts';

/** Only store_manager and above may approve, edit or reject draft purchase orders. */
export const canApproveDrafts = (r: Role): boolean => r !== 'associate';

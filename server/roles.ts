/** The roles of SPEC §1 (named once, in the contract the dashboard shares). */
import { ROLES, type Role } from '../pipelines/contract/vocabulary.ts';

export { ROLES, type Role };

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** The signed-in user as the routes see it. */
export interface User {
  username: string;
  role: Role;
  /** The manager's team; null for every other role. */
  team_id: string | null;
}

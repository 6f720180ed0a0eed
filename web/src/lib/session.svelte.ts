/** The signed-in user (GET /api/session), shared by every page. */
export type Role = 'supervisor' | 'hr' | 'executive' | 'manager' | 'admin';

export interface SessionUser {
  username: string;
  role: Role;
  team_id: string | null;
  csrf: string;
  expires_at: string;
}

export const session = $state<{ user: SessionUser | null; checked: boolean }>({ user: null, checked: false });

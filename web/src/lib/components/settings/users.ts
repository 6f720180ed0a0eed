/** Users and roles as GET /api/users answers them. */
export const ROLES = ['supervisor', 'hr', 'executive', 'manager', 'admin'] as const;
export type RoleId = (typeof ROLES)[number];

export interface User {
  username: string;
  role: RoleId;
  team_id: string | null;
  disabled: boolean;
  created_at: string;
  sessions: number;
}

/** The server's rules (server/routes-admin.ts), to guide typing; the server still decides. */
export const MIN_PASSWORD = 10;
export const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;

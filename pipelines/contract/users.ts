/** Sign-in and user administration: GET/POST /api/session, GET/POST/PATCH /api/users. */
import type { Role } from './vocabulary.ts';

/** The server's rules for names and passwords; the dashboard checks them before sending. */
export const USERNAME_RE = /^[A-Za-z0-9_.@-]{1,64}$/;
export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 1024;

/** The signed-in user. */
export interface SessionAnswer {
  username: string;
  role: Role;
  /** A manager's team; null for every other role. */
  team_id: string | null;
  /** Send back as X-CSRF-Token on every POST/PUT/PATCH/DELETE. */
  csrf: string;
  expires_at: string;
}

export interface UserRow {
  username: string;
  role: Role;
  team_id: string | null;
  disabled: boolean;
  created_at: string;
  /** Live sessions. */
  sessions: number;
}

/** Sign-in and user administration: GET/POST /api/session, GET/POST/PATCH /api/users. */
import type { Role } from './vocabulary.ts';

/** The server's rules for names and passwords; the dashboard checks them before sending. */
export const USERNAME_RE = /^[A-Za-z0-9_.@-]{1,64}$/;
export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 1024;

/** Passwords refused outright (compared without letter case), besides any one character repeated. */
export const COMMON_PASSWORDS: readonly string[] = [
  'password12', 'password123', 'password1234', 'passw0rd12', 'password!1', '1234567890', '0123456789', '9876543210',
  '12345678910', '1234567890a', 'qwertyuiop', 'qwerty1234', 'qwerty12345', '1q2w3e4r5t', 'zxcvbnm123', 'asdfghjkl1',
  'abcdefghij', 'abc1234567', 'iloveyou12', 'admin12345', 'administrator', 'welcome123', 'letmein123', 'changeme12',
  'aaaaaaaaaa',
];

/**
 * Why a password is refused, in plain words, or undefined when it is acceptable: MIN_PASSWORD to
 * MAX_PASSWORD characters, not only blanks, no control characters, not a common password or one
 * character repeated, not the username (letter case ignored). The server applies it on user
 * creation, password change and to ADMIN_PASSWORD; the dashboard may check it before sending.
 */
export function passwordProblem(password: string, username?: string): string | undefined {
  const chars = [...password];
  if (chars.length < MIN_PASSWORD || password.length > MAX_PASSWORD) return `must be ${MIN_PASSWORD} to ${MAX_PASSWORD} characters long`;
  if (/^\s*$/u.test(password)) return 'must not be only spaces';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(password)) return 'must not contain control characters (such as tabs, line breaks or NUL)';
  const lower = password.toLowerCase();
  if (new Set(chars).size === 1 || COMMON_PASSWORDS.includes(lower)) return 'is too easy to guess; choose a less common password';
  if (username !== undefined && lower.trim() === username.toLowerCase()) return 'must not be the username';
  return undefined;
}

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

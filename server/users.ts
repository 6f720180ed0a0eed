/**
 * First start (issue 4 §1): with no users at all, create `admin` with ADMIN_PASSWORD (or a random
 * password printed once), and, when the warehouse holds demo data, one demo account per role
 * with the same password: supervisor, hr, executive, manager (of the first team, T01 in the demo).
 * A weak ADMIN_PASSWORD is refused with a ConfigError (checkAdminPassword).
 */
import type { Warehouse } from '../pipelines/warehouse/warehouse.ts';
import { countUsers, createUser, randomPassword } from './auth.ts';
import type { Role } from './roles.ts';
import { ConfigError } from './config.ts';
import { passwordProblem } from '../pipelines/contract/users.ts';

/** The accounts a first start may create; ADMIN_PASSWORD becomes the password of each. */
export const INITIAL_USERNAMES = ['admin', 'supervisor', 'hr', 'executive', 'manager'] as const;

/**
 * Refuses a weak ADMIN_PASSWORD (the password policy, pipelines/contract/users.ts) with a
 * ConfigError: `npm start` prints it as one line and exits with code 2. Unset → nothing to check.
 */
export function checkAdminPassword(password: string | undefined, usernames: readonly string[] = INITIAL_USERNAMES): void {
  if (!password) return;
  for (const name of usernames) {
    const why = passwordProblem(password, name);
    if (why) throw new ConfigError(`ADMIN_PASSWORD ${why}${why.includes('username') ? ` (${name})` : ''}`);
  }
}

export interface InitialUsers {
  created: { username: string; role: Role; team_id: string | null }[];
  /** The password, when it was generated (print it once); undefined when ADMIN_PASSWORD was used or nothing was created. */
  generatedPassword?: string;
}

export async function ensureInitialUsers(wh: Warehouse, opts: { adminPassword?: string; demo?: boolean } = {}): Promise<InitialUsers> {
  if ((await countUsers(wh)) > 0) return { created: [] };
  const password = opts.adminPassword || randomPassword();
  const demo = opts.demo ?? (await hasDemoData(wh));
  const created: InitialUsers['created'] = [{ username: 'admin', role: 'admin', team_id: null }];
  if (demo) {
    const team = (await wh.one<{ team_id: string }>(`SELECT team_id FROM teams ORDER BY team_id = 'T01' DESC, team_id LIMIT 1`))?.team_id;
    created.push({ username: 'supervisor', role: 'supervisor', team_id: null }, { username: 'hr', role: 'hr', team_id: null }, { username: 'executive', role: 'executive', team_id: null });
    if (team) created.push({ username: 'manager', role: 'manager', team_id: team });
  }
  checkAdminPassword(opts.adminPassword, created.map((u) => u.username));
  await wh.transaction(async () => {
    for (const u of created) await createUser(wh, { ...u, password });
  });
  return { created, generatedPassword: opts.adminPassword ? undefined : password };
}

async function hasDemoData(wh: Warehouse): Promise<boolean> {
  return !!(await wh.one<{ yes: boolean }>(`SELECT EXISTS (SELECT 1 FROM batches WHERE uploaded_by = 'demo' AND status = 'committed') AS yes`))?.yes;
}

/** GET /api/meta: what the pickers offer — months with data, teams, regions, the data's as-of time. */

export interface TeamRef {
  team_id: string;
  team_name: string | null;
  region: string | null;
}

export interface Meta {
  /** The latest event in the data, 'YYYY-MM-DD HH:MM:SS' (China time); null without data. */
  as_of: string | null;
  latest_month: string | null;
  /** Months with data, newest first ('YYYY-MM'). */
  months: string[];
  /** A manager: their own team only. */
  teams: TeamRef[];
  /** A manager: none. */
  regions: string[];
}

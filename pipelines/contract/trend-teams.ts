/** GET /api/trend/teams: the main KPIs per team and month (the overview's heat map and ranking). */

export interface TeamTrendRow {
  month: string;
  team_id: string;
  team_name: string | null;
  forms: number;
  mean_score: number | null;
  timeliness_rate: number | null;
  satisfaction_rate: number | null;
  complaint_rate: number | null;
}

export interface TeamTrend {
  /** The months asked for, oldest first, 'YYYY-MM'. */
  months: string[];
  /** A team-month without data is absent (not zero). */
  rows: TeamTrendRow[];
}

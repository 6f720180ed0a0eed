/** The spot-check page's own helper; the queue's and a verification's shapes are the contract's. */

/** A group's id in the URL (?group=2026-W40:T01); ':' never occurs in a week or a team id. */
export function groupId(g: { week: string; team_id: string | null }): string {
  return `${g.week}:${g.team_id ?? ''}`;
}

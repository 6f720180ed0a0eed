/**
 * Customers in SQL: a customer's name, phone and address from its hash and its team (station), and
 * a team's attributes by index. Shared by tickets, complaints and the fraud model's fleet customers.
 */
import { COMPANY_SUFFIXES, COMPANY_WORDS, GIVEN_NAMES, PHONE_PREFIXES, ROADS, SURNAMES } from './pools.ts';
import { listLit, lit, pickList, type Rng } from './random.ts';
import type { Team } from './reference.ts';

/**
 * SQL: a team attribute by `team_idx`, as a lookup in a constant list (no join, so a SELECT from
 * one table keeps its row order and needs no sort).
 */
export function teamAttr(teams: Team[], attr: 'team_id' | 'region' | 'city' | 'place' | 'districts' | 'manager_name', idx = 'team_idx'): string {
  const vals = teams.map((t) => {
    switch (attr) {
      case 'team_id':
        return lit(t.team_id);
      case 'region':
        return lit(t.region);
      case 'manager_name':
        return lit(t.manager_name);
      case 'city':
        return lit(t.station.city);
      case 'place':
        return lit(t.station.place);
      case 'districts':
        return listLit(t.station.districts);
    }
  });
  return `list_extract([${vals.join(', ')}], ${idx} + 1)`;
}

/** SQL: customer fields from the customer hash `hc` and the ticket's team. */
export function customerSql(rng: Rng, teams: Team[], hc = 'hc', idx = 'team_idx'): { name: string; phone: string; address: string } {
  const U = (f: string) => rng.u(f, hc);
  const districts = teamAttr(teams, 'districts', idx);
  return {
    name: `CASE WHEN ${U('c.company')} < 0.6
      THEN ${teamAttr(teams, 'city', idx)} || ${pickList(U('c.word'), COMPANY_WORDS)} || ${pickList(U('c.suffix'), COMPANY_SUFFIXES)}
      ELSE ${pickList(U('c.surname'), SURNAMES)} || ${pickList(U('c.given'), GIVEN_NAMES)} END`,
    phone: `CASE WHEN ${U('c.nophone')} >= 0.02 THEN '1' || ${pickList(U('c.phone.prefix'), PHONE_PREFIXES)}
      || lpad((${rng.bits('c.phone.digits', hc)} % 100000000)::VARCHAR, 8, '0') END`,
    address: `${teamAttr(teams, 'place', idx)} || list_extract(${districts}, 1 + floor(${U('c.district')} * len(${districts}))::BIGINT)
      || ${pickList(U('c.road'), ROADS)} || (1 + floor(${U('c.number')} * 899))::BIGINT::VARCHAR || '号'`,
  };
}


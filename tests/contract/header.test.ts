/**
 * Header matching (SPEC §2): one function for the server's ingestion and the upload page, so a
 * header the server refuses is refused before the upload. Ids, Chinese labels and aliases, case,
 * white space, a BOM and full-width brackets; duplicates and missing required columns.
 */
import { describe, expect, it } from 'vitest';
import { matchHeader, normalizeName, REJECT_REASON_COLUMN, type HeaderColumn } from '../../pipelines/contract/header.ts';
import { KINDS } from '../../pipelines/ingest/kinds.ts';
import { mapHeader } from '../../pipelines/ingest/header.ts';

const COLUMNS: HeaderColumn[] = [
  { id: 'ticket_id', label: '工单号', required: true },
  { id: 'reported_at', label: '报修时间', aliases: ['报修日期'], required: true },
  { id: 'distance_km', label: '距离（公里）' },
  { id: 'team_id', label: '班组编号' },
];

const statuses = (header: string[]) => matchHeader(COLUMNS, header).headers.map((h) => [h.status, h.column?.id ?? null]);

describe('normalizeName', () => {
  it('drops a BOM and white space (also full-width), folds full-width brackets and case', () => {
    expect(normalizeName('\uFEFFTicket_ID')).toBe('ticket_id');
    expect(normalizeName(' 报修 时间\u3000')).toBe('报修时间');
    expect(normalizeName('距离（公里）')).toBe('距离(公里)');
    expect(normalizeName('距离(公里)')).toBe(normalizeName('距离（公里）'));
  });
});

describe('matchHeader', () => {
  it('maps ids, labels and aliases whatever the spelling', () => {
    const m = matchHeader(COLUMNS, ['\uFEFF工单号', 'REPORTED_AT', '距离(公里)', ' 班组 编号 ']);
    expect(m.headers.map((h) => [h.position, h.header, h.status, h.column?.id])).toEqual([
      [0, '\uFEFF工单号', 'mapped', 'ticket_id'],
      [1, 'REPORTED_AT', 'mapped', 'reported_at'],
      [2, '距离(公里)', 'mapped', 'distance_km'],
      [3, ' 班组 编号 ', 'mapped', 'team_id'],
    ]);
    expect(m).toMatchObject({ matched: 4, missing: [], duplicates: 0 });
    expect(statuses(['ticket_id', '报修日期'])).toEqual([['mapped', 'ticket_id'], ['mapped', 'reported_at']]);
  });

  it('keeps unknown cells as extra and ignores the rejects reason column', () => {
    expect(statuses(['工单号', '报修时间', '备注', REJECT_REASON_COLUMN, 'Reject_Reason'])).toEqual([
      ['mapped', 'ticket_id'], ['mapped', 'reported_at'], ['extra', null], ['ignored', null], ['ignored', null],
    ]);
  });

  it('marks a column named twice as duplicate, pointing at the first cell', () => {
    const m = matchHeader(COLUMNS, ['ticket_id', '报修时间', '工单号', '报修日期']);
    expect(m.duplicates).toBe(2);
    expect(m.matched).toBe(2);
    expect(m.headers[2]).toEqual({ position: 2, header: '工单号', status: 'duplicate', column: COLUMNS[0], firstPosition: 0 });
    expect(m.headers[3]).toMatchObject({ status: 'duplicate', firstPosition: 1 });
  });

  it('lists the required columns no cell names', () => {
    expect(matchHeader(COLUMNS, ['班组编号', 'whatever']).missing.map((c) => c.id)).toEqual(['ticket_id', 'reported_at']);
    expect(matchHeader(COLUMNS, []).missing.map((c) => c.id)).toEqual(['ticket_id', 'reported_at']);
  });
});

describe('the ingestion uses it (pipelines/ingest/header.ts)', () => {
  const kind = KINDS.teams;

  it('positions and extras from the same matching', () => {
    const { positions, extras } = mapHeader(kind, ['\uFEFF班组名称', 'TEAM_ID', '  ', '备注', REJECT_REASON_COLUMN], 'teams.csv');
    expect([...positions]).toEqual([['team_name', 0], ['team_id', 1]]);
    expect(extras).toEqual([{ position: 2, name: 'column_3' }, { position: 3, name: '备注' }]);
  });

  it('refuses a duplicate and a missing required column with the file, line and column', () => {
    expect(() => mapHeader(kind, ['team_id', '班组名称', '班组编号'], 'teams.csv')).toThrow(
      'teams.csv: line 1: columns 1 ("team_id") and 3 ("班组编号") both name team_id (班组编号)',
    );
    expect(() => mapHeader(kind, ['班组名称'], 'teams.csv')).toThrow(
      'teams.csv: line 1: required column team_id (班组编号) missing from the header; is this a teams (服务站/班组) file?',
    );
  });
});

/**
 * The files the soak uploads, each with what the server must answer: good batches of new records
 * (tickets, feedback, complaints, adjustments) in the warehouse's months, dirty ones (a known number
 * of rows broken by one rule each), hostile ones (20,000 columns, a binary file named .csv, an XLSX
 * that unpacks past the limit) and the large tickets file ingested while the server is killed.
 * Every file has a unique name and unique record ids (`S<kind letter><seq>-<row>`), so the checks can
 * find its batch by name and its rows by id prefix.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateRawSync, crc32 } from 'node:zlib';
import type { Universe } from './setup.ts';

/** What the server must answer for a file. */
export interface Expectation {
  status: number;
  /** For 200: the counts of the batch. */
  accepted?: number;
  rejected?: number;
  /** For 4xx: the error code. */
  code?: string;
}

export interface SoakFile {
  label: string;
  kind: string;
  path: string;
  /** The name sent to the server (unique: the batch is found by it). */
  name: string;
  bytes: number;
  sha256: string;
  expect: Expectation;
  /** The raw table and the key prefix of every record in the file (for a cut upload's check). */
  rows?: { table: string; key: string; prefix: string };
  /** A good tickets file: the ids of its tickets (later feedback and complaints name them). */
  newTickets?: string[];
}

/** Deterministic random numbers for a file (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
/** 'YYYY-MM-DD HH:MM:SS' from epoch ms (the wall time is what counts, so UTC arithmetic is fine). */
const stamp = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:00`;
};
const HOUR = 3_600_000;
/** A moment inside one of the months (day 1–25, 08:00–19:59). */
const moment = (month: string, r: () => number) => Date.parse(`${month}-01T08:00:00Z`) + Math.floor(r() * 25) * 24 * HOUR + Math.floor(r() * 12 * 60) * 60_000;
const pick = <T>(xs: readonly T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;

function csvText(header: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\n') + '\n';
}

function save(dir: string, name: string, content: Buffer | string): { path: string; bytes: number; sha256: string } {
  const path = join(dir, name);
  const buf = typeof content === 'string' ? Buffer.from(content) : content;
  writeFileSync(path, buf);
  return { path, bytes: buf.length, sha256: createHash('sha256').update(buf).digest('hex') };
}

export const TICKET_HEADER = [
  'ticket_id', 'reported_at', 'channel', 'customer_name', 'contact_phone', 'address', 'team_id', 'technician_id', 'fault_category',
  'distance_km', 'needs_supplier', 'first_response_at', 'arrived_at', 'completed_at', 'result', 'parts_cost', 'labor_cost', 'travel_cost',
  'service_type', 'customer_type', 'fee_charged',
];

/** Files for one soak run, numbered in the order they are made. */
export class FileMaker {
  private seq = 0;
  private bomb?: { packed: Buffer; crc: number };
  /** Ticket ids of good ticket files answered 200 (feedback and complaints name them). */
  readonly storedTickets: string[] = [];

  constructor(private readonly dir: string, private readonly u: Universe) {}

  private next(kind: string): { n: number; r: () => number; name: (ext: string) => string } {
    const n = ++this.seq;
    return { n, r: rng(n * 7919), name: (ext) => `soak-${String(n).padStart(4, '0')}-${kind}${ext}` };
  }

  private ticketRow(id: string, r: () => number): (string | number)[] {
    const tech = pick(this.u.technicians, r);
    const at = moment(pick(this.u.months, r), r);
    const response = at + Math.floor(r() * 3 * 60) * 60_000;
    const arrived = response + Math.floor(r() * 20 * 60) * 60_000;
    const done = arrived + Math.floor((1 + r() * 5) * 60) * 60_000;
    const paid = r() < 0.3;
    return [
      id, stamp(at), pick(['phone', 'online', 'wechat'], r), `客户${Math.floor(r() * 900) + 100}`, `13${Math.floor(r() * 1e9).toString().padStart(9, '0')}`,
      `上海市浦东新区张江路${Math.floor(r() * 900) + 1}号`, tech.team_id, tech.technician_id, pick(['body', 'chassis_engine', 'other'], r),
      Math.floor(r() * 150), r() < 0.1 ? 'Y' : 'N', stamp(response), stamp(arrived), stamp(done), 'completed',
      paid ? Math.floor(r() * 300) : 0, paid ? 80 : 0, paid ? 35 : 0, paid ? 'paid' : 'free', paid ? 'out_of_warranty' : 'in_warranty', paid ? Math.floor(r() * 300) + 115 : 0,
    ];
  }

  /** New tickets, every row valid; with `bad`, that many more rows each broken by one rule. */
  tickets(rows: number, bad = 0): SoakFile {
    const { n, r, name } = this.next(bad ? 'tickets-dirty' : 'tickets');
    const prefix = `SKT${n}-`;
    const out = Array.from({ length: rows }, (_, i) => this.ticketRow(`${prefix}${i + 1}`, r));
    const breakers: ((row: (string | number)[]) => void)[] = [
      (row) => (row[1] = ''), // reported_at missing (required)
      (row) => (row[1] = '2025-13-45 99:00'), // unparseable timestamp
      (row) => (row[8] = 'flying_saucer'), // unknown fault category
      (row) => (row[9] = -5), // negative distance
      (row) => (row[13] = '2020-01-01 00:00:00'), // completed before reported
      (row) => ((row[14] = 'cancelled'), (row[13] = row[12]!)), // completed on a cancelled ticket
    ];
    for (let i = 0; i < bad; i++) {
      const row = this.ticketRow(`${prefix}${rows + i + 1}`, r);
      breakers[i % breakers.length]!(row);
      out.push(row);
    }
    const f = save(this.dir, name('.csv'), csvText(TICKET_HEADER, out));
    return {
      label: bad ? 'dirty tickets' : 'good tickets', kind: 'tickets', name: name('.csv'), ...f,
      expect: { status: 200, accepted: rows, rejected: bad }, rows: { table: 'tickets', key: 'ticket_id', prefix },
      newTickets: out.slice(0, rows).map((r) => String(r[0])),
    };
  }

  /** New forms for stored tickets (soak's own when there are any, else generated ones; a second form replaces the first). */
  feedback(rows: number, bad = 0): SoakFile {
    const { n, r, name } = this.next(bad ? 'feedback-dirty' : 'feedback');
    const prefix = `SKF${n}-`;
    const pool = this.storedTickets.length >= rows ? this.storedTickets : this.u.tickets;
    const tickets = [...new Set(Array.from({ length: rows * 2 }, () => pick(pool, r)))].slice(0, rows);
    const grade = () => pick(['A', 'A', 'B', 'B', 'C', 'D', 'E'], r);
    const out: (string | number)[][] = tickets.map((t, i) => [`${prefix}${i + 1}`, t, stamp(moment(pick(this.u.months, r), r)), grade(), grade(), grade(), pick(['satisfied', 'very_satisfied', 'neutral'], r), '', 'phone']);
    const broken: ((i: number) => (string | number)[])[] = [
      (i) => [`${prefix}${i}`, pick(pool, r), '2025-05-03 10:00', 'A', 'Z', 'B', '', '', 'phone'], // grade Z
      (i) => [`${prefix}${i}`, pick(pool, r), '2025-05-03 10:00', '', 'A', 'B', '', '', 'phone'], // timeliness missing
      (i) => [`${prefix}${i}`, '', '2025-05-03 10:00', 'A', 'A', 'B', '', '', 'phone'], // ticket_id missing
    ];
    for (let i = 0; i < bad; i++) out.push(broken[i % broken.length]!(tickets.length + i + 1));
    const header = ['form_id', 'ticket_id', 'submitted_at', 'timeliness', 'quality', 'attitude', 'overall', 'reasons', 'source'];
    const f = save(this.dir, name('.csv'), csvText(header, out));
    return {
      label: bad ? 'dirty feedback' : 'good feedback', kind: 'feedback', name: name('.csv'), ...f,
      expect: { status: 200, accepted: tickets.length, rejected: bad }, rows: { table: 'feedback', key: 'form_id', prefix },
    };
  }

  complaints(rows: number, bad = 0): SoakFile {
    const { n, r, name } = this.next(bad ? 'complaints-dirty' : 'complaints');
    const prefix = `SKC${n}-`;
    const pool = this.storedTickets.length ? this.storedTickets : this.u.tickets;
    const row = (i: number): (string | number)[] => {
      const at = moment(pick(this.u.months, r), r);
      const tech = pick(this.u.technicians, r);
      return [
        `${prefix}${i}`, stamp(at), 'hotline', `客户${i}`, r() < 0.7 ? pick(pool, r) : '', tech.team_id, tech.technician_id,
        pick(['late_arrival', 'attitude', 'quality', 'fee', 'other'], r), pick(['yes', 'no', 'pending'], r), pick(['minor', 'major', 'severe'], r),
        stamp(at + Math.floor(r() * 30) * HOUR), r() < 0.8 ? stamp(at + Math.floor(r() * 100) * HOUR) : '', '已处理',
      ];
    };
    const out = Array.from({ length: rows }, (_, i) => row(i + 1));
    const breakers: ((x: (string | number)[]) => void)[] = [
      (x) => (x[1] = ''), // received_at missing
      (x) => (x[8] = 'maybe'), // unknown attributable
      (x) => (x[10] = '2019-01-01 00:00:00'), // responded before received
    ];
    for (let i = 0; i < bad; i++) {
      const x = row(rows + i + 1);
      breakers[i % breakers.length]!(x);
      out.push(x);
    }
    const header = ['complaint_id', 'received_at', 'channel', 'customer_name', 'ticket_id', 'team_id', 'technician_id', 'category', 'attributable', 'severity', 'responded_at', 'resolved_at', 'resolution'];
    const f = save(this.dir, name('.csv'), csvText(header, out));
    return {
      label: bad ? 'dirty complaints' : 'good complaints', kind: 'complaints', name: name('.csv'), ...f,
      expect: { status: 200, accepted: rows, rejected: bad }, rows: { table: 'complaints', key: 'complaint_id', prefix },
    };
  }

  /** HR's bonus adjustments (其他奖惩): unique reasons, so every row is a new record. */
  adjustments(rows: number, bad = 0): SoakFile {
    const { n, r, name } = this.next('adjustments');
    const reason = (i: number) => `合理化建议 soak ${n}-${i}`;
    const out: (string | number)[][] = Array.from({ length: rows }, (_, i) => [pick(this.u.technicians, r).technician_id, pick(this.u.months, r), (Math.floor(r() * 600) - 300).toFixed(2), reason(i + 1), 'hr']);
    for (let i = 0; i < bad; i++) out.push([pick(this.u.technicians, r).technician_id, '2025-14', '100', reason(rows + i + 1), 'hr']); // impossible month
    const f = save(this.dir, name('.csv'), csvText(['technician_id', 'month', 'amount', 'reason', 'approved_by'], out));
    return {
      label: bad ? 'dirty adjustments' : 'good adjustments', kind: 'adjustments', name: name('.csv'), ...f,
      expect: { status: 200, accepted: rows, rejected: bad }, rows: { table: 'adjustments', key: 'reason', prefix: `合理化建议 soak ${n}-` },
    };
  }

  /** 20,000 columns in the header: refused before DuckDB reads it (pipelines/ingest/limits.ts). */
  wide(): SoakFile {
    const { name } = this.next('wide');
    const header = Array.from({ length: 20_000 }, (_, i) => (i === 0 ? 'ticket_id' : `c${i}`));
    const f = save(this.dir, name('.csv'), `${header.join(',')}\n${header.map((_, i) => i).join(',')}\n`);
    return { label: 'hostile: 20,000 columns', kind: 'tickets', name: name('.csv'), ...f, expect: { status: 422, code: 'ingest_failed' } };
  }

  /** A PNG named .csv: refused by its first bytes. */
  binary(): SoakFile {
    const { name } = this.next('binary');
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64 * 1024)]);
    const f = save(this.dir, name('.csv'), png);
    return { label: 'hostile: binary named .csv', kind: 'tickets', name: name('.csv'), ...f, expect: { status: 415, code: 'unsupported_media_type' } };
  }

  /** An XLSX (a real zip) whose one sheet unpacks to 120 MiB: refused from its central directory. */
  xlsxBomb(): SoakFile {
    const { name } = this.next('bomb');
    const entry = 'xl/worksheets/sheet1.xml';
    const raw = 120 << 20;
    this.bomb ??= (() => {
      const spaces = Buffer.alloc(raw, 0x20);
      return { packed: deflateRawSync(spaces, { level: 9 }), crc: crc32(spaces) };
    })();
    const { packed, crc } = this.bomb;
    const nameBuf = Buffer.from(entry);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(raw, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(raw, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(0, 42); // offset of the local header
    const cdOffset = local.length + nameBuf.length + packed.length;
    const cdSize = central.length + nameBuf.length;
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(1, 8);
    eocd.writeUInt16LE(1, 10);
    eocd.writeUInt32LE(cdSize, 12);
    eocd.writeUInt32LE(cdOffset, 16);
    const f = save(this.dir, name('.xlsx'), Buffer.concat([local, nameBuf, packed, central, nameBuf, eocd]));
    return { label: 'hostile: XLSX unpacking to 120 MiB', kind: 'tickets', name: name('.xlsx'), ...f, expect: { status: 422, code: 'ingest_failed' } };
  }

  /** The slow sender's file (its bytes are sent with a pause longer than UPLOAD_IDLE_SECONDS). */
  slow(): SoakFile {
    const t = this.tickets(5);
    return { ...t, label: 'hostile: slow sender (pause beyond the idle limit)', expect: { status: 408, code: 'upload_too_slow' } };
  }

  /** An hr user sending tickets: refused by role. */
  forbidden(): SoakFile {
    const t = this.tickets(3);
    return { ...t, label: 'refused: hr sends tickets', expect: { status: 403, code: 'kind_not_allowed' } };
  }

  /** The large upload that is being ingested when the server is killed: `rows` minimal tickets. */
  async big(rows: number): Promise<SoakFile> {
    const { n, name } = this.next('tickets-big');
    const prefix = `SKB${n}-`;
    const path = join(this.dir, name('.csv'));
    const hash = createHash('sha256');
    const out = createWriteStream(path);
    let bytes = 0;
    const write = (s: string) => {
      const b = Buffer.from(s);
      hash.update(b);
      bytes += b.length;
      return out.write(b) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
    };
    await write('ticket_id,reported_at,customer_name,team_id,address\n');
    const months = this.u.months;
    for (let i = 0; i < rows; i += 10_000) {
      let chunk = '';
      for (let j = i; j < Math.min(rows, i + 10_000); j++) {
        chunk += `${prefix}${j},${months[j % months.length]}-${pad(1 + (j % 25))} ${pad(8 + (j % 10))}:${pad(j % 60)}:00,客户${j % 5000},${this.u.teams[j % this.u.teams.length]},地址 ${j}\n`;
      }
      await write(chunk);
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return {
      label: `large tickets (${rows.toLocaleString('en')} rows, cut by kill -9)`, kind: 'tickets', name: name('.csv'), path, bytes, sha256: hash.digest('hex'),
      expect: { status: 200, accepted: rows, rejected: 0 }, rows: { table: 'tickets', key: 'ticket_id', prefix },
    };
  }
}

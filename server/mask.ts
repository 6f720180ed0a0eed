/**
 * PII masking (SPEC §1, issue 4): customer phone numbers and addresses leave the server unmasked
 * only for the roles that need them — `supervisor` (they phone customers for spot checks) and
 * `admin`. For `hr`, `executive` and `manager` they are masked on the server, before JSON is built.
 */
import type { FormRisk } from '../pipelines/contract/fraud.ts';
import type { Role } from './roles.ts';

/** Roles that see customers' phone numbers and full addresses. */
const PII_ROLES: ReadonlySet<Role> = new Set<Role>(['supervisor', 'admin']);

export function seesPii(role: Role): boolean {
  return PII_ROLES.has(role);
}

/**
 * `13812345678` → `138****5678`. Any other value of at least 10 characters keeps its first 3 and
 * last 4 characters (`021-12345678` → `021*****5678`); shorter values are all `*` (keeping 7 of 8
 * digits would hide nothing). Length is preserved; null stays null.
 */
export function maskPhone(phone: string | null | undefined): string | null {
  if (phone === null || phone === undefined) return null;
  const chars = [...phone.trim()];
  if (chars.length === 0) return '';
  if (chars.length < 10) return '*'.repeat(chars.length);
  return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
}

// One administrative level: a short name, then its suffix. The name may not contain another
// level's suffix character, so a level never swallows the next one.
const PROVINCE = /^[^省市区县旗]{1,10}?(?:省|自治区|特别行政区)/u;
const CITY = /^[^省市区县旗]{1,10}?(?:自治州|地区|市|盟)/u;
const DISTRICT = /^[^省市区县旗]{1,6}?(?:新区|区|县|自治县|旗|市)/u;

/**
 * An address kept down to its district (区/县/旗, or a county-level 市) and the rest replaced by
 * `***`: `上海市浦东新区张江路1号` → `上海市浦东新区***`, `山东省济南市历下区新华路846号` →
 * `山东省济南市历下区***`. When no district can be recognised the address is cut after the city
 * (`江苏省昆山市玉山镇…` → `江苏省昆山市***`), and when not even a city or province can be
 * recognised, all of it is hidden (`***`). Masking errs towards hiding more.
 */
export function maskAddress(address: string | null | undefined): string | null {
  if (address === null || address === undefined) return null;
  const a = address.trim();
  if (a === '') return '';
  let rest = a;
  let kept = '';
  for (const level of [PROVINCE, CITY, DISTRICT]) {
    const m = level.exec(rest);
    if (m) {
      kept += m[0];
      rest = rest.slice(m[0].length);
    }
  }
  if (kept === '') return '***';
  return rest === '' ? kept : `${kept}***`;
}

const ORGANISATION = /公司|厂|站|局|中心|店|集团|院|校|部|所|社|队|行|场|馆|会|处|委|办|Co\.|Ltd|Inc/iu;

/**
 * A customer who is a person (a short name without an organisation word) keeps the first character
 * of the name: `宋子豪` → `宋**`. Companies (`上海金桥建材有限公司`) are not personal data and
 * stay readable — the name is how hr and managers recognise a job.
 */
export function maskPersonName(name: string | null | undefined): string | null {
  if (name === null || name === undefined) return null;
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  // Long names are kept only when they name an organisation: `Zhang Wei`, `爱新觉罗·启明` and other
  // long personal names are masked like short ones (masking errs towards hiding more).
  if (ORGANISATION.test(name)) return name;
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** Digits, ASCII or full-width. */
const D = '[0-9\uFF10-\uFF19]';
/** What may stand between the digits of one phone number: spaces, -, ., brackets, ASCII or full-width. */
const SEP = '[\\s\\-\\u2010-\\u2015\\u00B7.()\\u3000\\uFF0D\\uFF0E\\uFF08\\uFF09/]';
/** A number of at least 7 digits, with up to 2 separators between digits and an optional leading +. */
const NUMBER_IN_TEXT = new RegExp(`(?<!${D})(?:[+\\uFF0B]${SEP}{0,2})?${D}(?:${SEP}{0,2}${D}){6,}(?!${D})`, 'gu');
/** A date (2025-05-12, 2025.5.12, 2025/05/12) is not a phone number. */
const DATE = new RegExp(`^${D}{4}[-./\\uFF0D\\uFF0E]${D}{1,2}[-./\\uFF0D\\uFF0E]${D}{1,2}$`, 'u');
/** An e-mail address; the local part starts a run (lookbehind) and is bounded, so long runs cannot make it slow. */
const EMAIL_IN_TEXT = /(?<![A-Za-z0-9._%+-])([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{0,63}[@\uFF20]([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24})(?![A-Za-z0-9-])/gu;
/** Numerals of a house or room number. */
const NUM = '[0-9A-Za-z\\uFF10-\\uFF19\\-\\uFF0D一二三四五六七八九十百零〇]';
/**
 * A street address: up to 12 characters of street name (no punctuation, space or 省/市/区/县/旗, so
 * the province, city and district before it stay), 路/街/道/巷/弄/胡同, a number and 号/弄/巷, then any
 * building, unit and room numbers.
 */
const STREET_IN_TEXT = new RegExp(
  `[^\\s\\p{P}\\p{S}省市区县旗]{0,12}?(?:路|街|道|巷|弄|胡同)${NUM}{1,12}(?:号|弄|巷)(?:${NUM}{1,12}(?:号楼|号|栋|幢|座|单元|室|楼|层))*`, 'gu');
/** Building, unit and room numbers without a street: `3号楼2单元1201室`, `5栋`. */
const ROOM_IN_TEXT = new RegExp(`${NUM}{1,12}(?:号楼|栋|幢|单元|室)(?:${NUM}{1,12}(?:号楼|号|栋|幢|座|单元|室|楼|层))*`, 'gu');

/**
 * PII inside free text (descriptions, resolutions, comments, notes) for roles that do not see PII:
 * - e-mail addresses keep the first character and the domain: `zhangsan@qq.com` → `z***@qq.com`;
 * - any run of at least 7 digits — mobile numbers, landlines with area codes, `+86` numbers — with
 *   spaces, -, ., brackets between the digits, ASCII or full-width (`139.1234.5678`,
 *   `１３９１２３４５６７８`, `(021) 6234-5678`), is masked by maskPhone (first 3 and last 4
 *   characters kept); a date such as `2025-05-12` is left alone;
 * - addresses keep the province, city and district, like maskAddress: the street with its number and
 *   any building/unit/room numbers become `***` (`上海市浦东新区张江路1号3室` → `上海市浦东新区***`);
 *   building/room numbers on their own (`3号楼1201室`) too. Words such as 线路 or 道路 without a house
 *   number are not addresses.
 * Names of people inside free text cannot be recognised reliably and are not touched.
 */
export function maskFreeText(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  return text
    .replace(EMAIL_IN_TEXT, (_s, first: string, domain: string) => `${first}***@${domain}`)
    .replace(NUMBER_IN_TEXT, (s) => (DATE.test(s) ? s : maskPhone(s)!))
    .replace(STREET_IN_TEXT, '***')
    .replace(ROOM_IN_TEXT, '***');
}

/** Free-text fields of records and list rows that may hold PII. */
const FREE_TEXT_FIELDS = ['description', 'resolution', 'comment', 'note', 'notes', 'remark', 'remarks', 'verification_note'] as const;

/** The PII fields of a customer record, and PII inside its free-text fields (maskFreeText), masked for roles that may not see them. */
export function maskCustomer<T extends { contact_phone?: string | null; address?: string | null; customer_name?: string | null }>(
  row: T,
  role: Role,
): T {
  if (seesPii(role)) return row;
  const out: T = {
    ...row,
    ...('contact_phone' in row ? { contact_phone: maskPhone(row.contact_phone) } : {}),
    ...('address' in row ? { address: maskAddress(row.address) } : {}),
    ...('customer_name' in row ? { customer_name: maskPersonName(row.customer_name) } : {}),
  };
  const rec = out as Record<string, unknown>;
  for (const f of FREE_TEXT_FIELDS) {
    const v = rec[f];
    if (typeof v === 'string') rec[f] = maskFreeText(v);
  }
  return out;
}

/**
 * A technician's own mobile number (technicians.phone, SPEC §2.2: PII, optional) in a row as
 * `technician_phone`: masked exactly like a customer's phone (maskPhone) for the roles that do not
 * see PII — hr, executive and manager; supervisor and admin see it.
 */
export function maskTechnicianPhone<T extends { technician_phone?: string | null }>(row: T, role: Role): T {
  if (seesPii(role) || !('technician_phone' in row)) return row;
  return { ...row, technician_phone: maskPhone(row.technician_phone) };
}

/**
 * A form's fraud risk (GET /api/fraud/forms/:form_id) for a role without PII — hr, reading the
 * evidence of a form found fraudulent: the form's contact phone is masked (maskPhone), the customer's
 * and the other customers' personal names on the same phone (the shared-phone evidence) keep their
 * first character (maskPersonName). Ids, times, scores and reasons stay (no reason holds a phone: the
 * shared-phone reason counts the other customers, the technician-phone reason names the technician).
 */
export function maskFormRisk(risk: FormRisk, role: Role): FormRisk {
  if (seesPii(role)) return risk;
  return {
    ...risk,
    contact_phone: maskPhone(risk.contact_phone),
    customer_name: maskPersonName(risk.customer_name),
    signals: risk.signals.map((s) =>
      s.signal === 'shared_phone'
        ? { ...s, evidence: { ...s.evidence, forms: s.evidence.forms.map((f) => ({ ...f, customer_name: maskPersonName(f.customer_name) })) } }
        : s,
    ),
  };
}

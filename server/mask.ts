/**
 * PII masking (SPEC §1, issue 4): customer phone numbers and addresses leave the server unmasked
 * only for the roles that need them — `supervisor` (they phone customers for spot checks) and
 * `admin`. For `hr`, `executive` and `manager` they are masked on the server, before JSON is built.
 */
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
  if (chars.length > 4 || ORGANISATION.test(name)) return name;
  return chars[0] + '*'.repeat(chars.length - 1);
}

/** The PII fields of a customer record, masked for roles that may not see them. */
export function maskCustomer<T extends { contact_phone?: string | null; address?: string | null; customer_name?: string | null }>(
  row: T,
  role: Role,
): T {
  if (seesPii(role)) return row;
  return {
    ...row,
    ...('contact_phone' in row ? { contact_phone: maskPhone(row.contact_phone) } : {}),
    ...('address' in row ? { address: maskAddress(row.address) } : {}),
    ...('customer_name' in row ? { customer_name: maskPersonName(row.customer_name) } : {}),
  };
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

/** PII masking helpers (server/mask.ts). */
import { describe, expect, it } from 'vitest';
import { maskAddress, maskCustomer, maskFreeText, maskPersonName, maskPhone, seesPii } from '../../server/mask.ts';

it('masks a mobile number as 138****5678', () => {
  expect(maskPhone('13812345678')).toBe('138****5678');
  expect(maskPhone(' 13812345678 ')).toBe('138****5678');
});

it('keeps first 3 / last 4 of other long numbers, hides short ones entirely', () => {
  expect(maskPhone('021-12345678')).toBe('021*****5678');
  expect(maskPhone('+8613812345678')).toBe('+86*******5678');
  expect(maskPhone('1234567890')).toBe('123***7890');
  expect(maskPhone('12345678')).toBe('********');
  expect(maskPhone('110')).toBe('***');
  expect(maskPhone('')).toBe('');
  expect(maskPhone(null)).toBeNull();
});

it('cuts an address after its district', () => {
  expect(maskAddress('上海市浦东新区张江路1号')).toBe('上海市浦东新区***');
  expect(maskAddress('山东省济南市历下区新华路846号')).toBe('山东省济南市历下区***');
  expect(maskAddress('河北省石家庄市长安区工业大道487号')).toBe('河北省石家庄市长安区***');
  expect(maskAddress('新疆维吾尔自治区乌鲁木齐市天山区解放北路1号')).toBe('新疆维吾尔自治区乌鲁木齐市天山区***');
  expect(maskAddress('浙江省杭州市桐庐县城南街道1号')).toBe('浙江省杭州市桐庐县***');
  expect(maskAddress('内蒙古自治区呼伦贝尔市鄂温克族自治旗巴彦托海镇')).toBe('内蒙古自治区呼伦贝尔市鄂温克族自治旗***');
  expect(maskAddress('北京市朝阳区')).toBe('北京市朝阳区');
});

it('hides more, never less, when the district cannot be recognised', () => {
  expect(maskAddress('江苏省昆山市玉山镇人民路1号')).toBe('江苏省昆山市***');
  expect(maskAddress('张江路1号')).toBe('***');
  expect(maskAddress('Room 5, 1 Zhangjiang Rd')).toBe('***');
  expect(maskAddress(null)).toBeNull();
});

it('shortens personal customer names, keeps company names', () => {
  expect(maskPersonName('宋子豪')).toBe('宋**');
  expect(maskPersonName('卢凯')).toBe('卢*');
  expect(maskPersonName('上海金桥建材有限公司')).toBe('上海金桥建材有限公司');
  expect(maskPersonName('顺丰站')).toBe('顺丰站');
});

it('masks for hr, executive and manager; not for supervisor and admin', () => {
  const row = { ticket_id: 'X', contact_phone: '13812345678', address: '上海市浦东新区张江路1号', customer_name: '卢凯' };
  for (const role of ['hr', 'executive', 'manager'] as const) {
    expect(seesPii(role)).toBe(false);
    expect(maskCustomer(row, role)).toEqual({ ticket_id: 'X', contact_phone: '138****5678', address: '上海市浦东新区***', customer_name: '卢*' });
  }
  for (const role of ['supervisor', 'admin'] as const) {
    expect(seesPii(role)).toBe(true);
    expect(maskCustomer(row, role)).toEqual(row);
  }
});

describe('PII in free text (maskFreeText)', () => {
  it('masks mobile numbers with any separators, ASCII or full-width', () => {
    expect(maskFreeText('请联系13912345678')).toBe('请联系139****5678');
    expect(maskFreeText('电话139.1234.5678转')).toBe('电话139******5678转');
    expect(maskFreeText('电话 139 1234 5678。')).toBe('电话 139******5678。');
    expect(maskFreeText('电话139-1234-5678')).toBe('电话139******5678');
    expect(maskFreeText('电话１３９１２３４５６７８')).toBe('电话１３９****５６７８');
    expect(maskFreeText('电话１３９－１２３４－５６７８')).toBe('电话１３９******５６７８');
    expect(maskFreeText('+86 139 1234 5678')).not.toMatch(/1234/);
  });

  it('masks landlines with area codes', () => {
    expect(maskFreeText('座机021-62345678')).toBe('座机021*****5678');
    expect(maskFreeText('座机(021) 6234-5678')).not.toMatch(/6234/);
    expect(maskFreeText('座机０２１－６２３４５６７８')).not.toMatch(/６２３４/);
  });

  it('masks e-mail addresses, keeping the first character and the domain', () => {
    expect(maskFreeText('邮箱zhangsan@qq.com，谢谢')).toBe('邮箱z***@qq.com，谢谢');
    expect(maskFreeText('li.si+x@example.com.cn')).toBe('l***@example.com.cn');
    expect(maskFreeText('13912345678@163.com')).toBe('1***@163.com');
  });

  it('keeps an address in free text down to its district', () => {
    expect(maskFreeText('上门地址：上海市浦东新区张江路1号3室，已修好')).toBe('上门地址：上海市浦东新区***，已修好');
    expect(maskFreeText('山东省济南市历下区新华路846号2单元301室')).toBe('山东省济南市历下区***');
    expect(maskFreeText('住在3号楼2单元1201室')).toBe('住在***');
    expect(maskFreeText('南京西路1266弄5号')).toBe('***');
  });

  it('leaves ordinary text, dates and short numbers alone', () => {
    const plain = '2025-05-12 上门，线路老化，更换2个配件，费用120元，客户满意';
    expect(maskFreeText(plain)).toBe(plain);
    expect(maskFreeText('')).toBe('');
    expect(maskFreeText(null)).toBeNull();
  });

  it('stays fast on long hostile text (no catastrophic backtracking)', () => {
    for (const s of ['1-'.repeat(50_000), 'a.'.repeat(50_000), '路1'.repeat(50_000), 'a'.repeat(100_000) + '室', 'x@' + 'a.'.repeat(50_000), '1 '.repeat(50_000)]) {
      const t0 = performance.now();
      maskFreeText(s);
      expect(performance.now() - t0, JSON.stringify(s.slice(0, 6))).toBeLessThan(1000);
    }
  });

  it('masks free-text fields and long personal names for hr, executive and manager; not for supervisor and admin', () => {
    const row = {
      complaint_id: 'C1', customer_name: 'Zhang Wei', contact_phone: '13812345678',
      description: '客户电话139.1234.5678，邮箱zw@qq.com，住上海市浦东新区张江路1号', resolution: '回电１３９１２３４５６７８',
      comment: '3号楼1201室', note: '座机021-62345678', verification_note: '已联系zw@qq.com',
    };
    for (const role of ['hr', 'executive', 'manager'] as const) {
      const m = maskCustomer(row, role);
      expect(m).toEqual({
        complaint_id: 'C1', customer_name: 'Z********', contact_phone: '138****5678',
        description: '客户电话139******5678，邮箱z***@qq.com，住上海市浦东新区***', resolution: '回电１３９****５６７８',
        comment: '***', note: '座机021*****5678', verification_note: '已联系z***@qq.com',
      });
    }
    for (const role of ['supervisor', 'admin'] as const) expect(maskCustomer(row, role)).toEqual(row);
  });
});

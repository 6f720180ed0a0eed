/** PII masking helpers (server/mask.ts). */
import { expect, it } from 'vitest';
import { maskAddress, maskCustomer, maskPersonName, maskPhone, seesPii } from '../../server/mask.ts';

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

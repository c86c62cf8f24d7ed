import { maskAddressDetail, maskName, maskNick, maskPhone, maskPii, maskPiiInText } from './pii-mask';

describe('masking a buyer’s personal data', () => {
  it('keeps the first three and last four digits of an 11-digit mobile', () => {
    expect(maskPhone('13800138000')).toBe('138****8000');
    expect(maskPhone(' 138 0013 8000 ')).toBe('138****8000');
    expect(maskPhone('138-0013-8000')).toBe('138****8000');
    expect(maskPhone('+86 13800138000')).toBe('+86 138****8000');
  });
  it('keeps the area code and last four digits of a landline, and drops its extension', () => {
    expect(maskPhone('0571-88886666')).toBe('0571-****6666');
    expect(maskPhone('010-6666777')).toBe('010-****6777');
    expect(maskPhone('(021)62345678')).toBe('021-****5678');
    expect(maskPhone('0571-88886666转123')).toBe('0571-****6666');
  });
  it('leaves an already masked phone as the platform sent it and never shows more digits', () => {
    expect(maskPhone('138****8000')).toBe('138****8000');
    expect(maskPhone('88886666')).toBe('****6666');
    expect(maskPhone('12345')).toBe('***45');
    expect(maskPhone('不详')).toBe('**');
  });
  it('gives empty for an empty value', () => {
    expect(maskPhone('')).toBe('');
    expect(maskPhone(null)).toBe('');
    expect(maskName('  ')).toBe('');
    expect(maskAddressDetail(undefined)).toBe('');
    expect(maskNick('')).toBe('');
  });
  it('masks Chinese names of one to four characters', () => {
    expect(maskName('王小明')).toBe('王*明');
    expect(maskName('王明')).toBe('王*');
    expect(maskName('王')).toBe('*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('𠀋小明')).toBe('𠀋*明');
  });
  it('masks names in Latin letters word by word, keeping initials', () => {
    expect(maskName('John Smith')).toBe('J*** S****');
    expect(maskName('Li')).toBe('L*');
    expect(maskName('Anna')).toBe('A**a');
  });
  it('masks the street part of an address after its opening words, never showing a number', () => {
    expect(maskAddressDetail('文三路100号5幢302室')).toBe('文三路****');
    expect(maskAddressDetail('100号')).toBe('****');
    expect(maskAddressDetail('西溪湿地公园南门旁边的小区二期')).toBe('西溪湿地公园****');
    expect(maskAddressDetail('某某小区')).toBe('某某****');
  });
  it('masks a buyer nick to its first and last character', () => {
    expect(maskNick('tb_buyer_01')).toBe('t**1');
    expect(maskNick('小王')).toBe('小*');
  });
  it('masks the personal fields of an order and leaves province, city and district readable', () => {
    const masked = maskPii({ buyerNick: 'tb_buyer_01', receiverName: '王小明', receiverMobile: '13800138000', receiverPhone: '', address: '文三路100号', province: '浙江省', city: '杭州市', district: '西湖区', paidFen: 100 });
    expect(masked).toEqual({ buyerNick: 't**1', receiverName: '王*明', receiverMobile: '138****8000', receiverPhone: '', address: '文三路****', province: '浙江省', city: '杭州市', district: '西湖区', paidFen: 100 });
  });
});

describe('masking a buyer’s data quoted in free text', () => {
  it('masks every phone number standing in a sentence, and leaves order numbers and amounts alone', () => {
    expect(maskPiiInText('快递拒收：收件人电话 13800138000，备用 0571-88886666；订单 3847278201625373451 金额 199.00')).toBe(
      '快递拒收：收件人电话 138****8000，备用 0571-****6666；订单 3847278201625373451 金额 199.00',
    );
    expect(maskPiiInText('+86 138-0013-8000 请联系')).toBe('+86 138****8000 请联系');
  });
  it('masks the order’s own receiver where the text quotes them, but no other words', () => {
    const known = { receiverName: '王小明', address: '文三路100号5幢302室', receiverMobile: '13900001111' };
    expect(maskPiiInText('地址不可达：王小明 文三路100号5幢302室', known)).toBe('地址不可达：王*明 文三路****');
    expect(maskPiiInText('王大明 已签收', known)).toBe('王大明 已签收');
    expect(maskPiiInText('', known)).toBe('');
  });
  it('masks the free text fields of an order with the same rules', () => {
    const o = maskPii({ receiverName: '王小明', receiverMobile: '13900001111', alert: '预约单号失败: 王小明 13900001111 地址超区', buyerMessage: '到了打 13900001111' });
    expect(o.alert).toBe('预约单号失败: 王*明 139****1111 地址超区');
    expect(o.buyerMessage).toBe('到了打 139****1111');
  });
});

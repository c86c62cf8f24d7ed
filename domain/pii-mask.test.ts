import { maskAddressDetail, maskName, maskNick, maskPhone, maskPii } from './pii-mask';

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

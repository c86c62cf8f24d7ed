import iconv from 'iconv-lite';
import { decodeCsvBuffer } from './decode-csv-buffer';

const text = '订单编号,收货地址\r\n1,"新疆维吾尔自治区 乌鲁木齐市 天山区 解放南路 8号（830000）"\r\n';

describe('decodeCsvBuffer', () => {
  it('reads GBK, which is what the Taobao seller centre downloads', () => {
    expect(decodeCsvBuffer(iconv.encode(text, 'gbk'))).toEqual({ text, encoding: 'gb18030' });
  });

  it('reads characters outside GBK from a GB18030 file', () => {
    const rare = '收货人,𠀀\r\n';
    expect(decodeCsvBuffer(iconv.encode(rare, 'gb18030'))).toEqual({ text: rare, encoding: 'gb18030' });
  });

  it('reads UTF-8 with a BOM and drops the BOM', () => {
    expect(decodeCsvBuffer(Buffer.from(`\uFEFF${text}`, 'utf8'))).toEqual({ text, encoding: 'utf-8-bom' });
  });

  it('reads UTF-8 without a BOM when every byte is valid UTF-8', () => {
    expect(decodeCsvBuffer(Buffer.from(text, 'utf8'))).toEqual({ text, encoding: 'utf-8' });
  });

  it('reads the UTF-16 that Excel writes for "Unicode text"', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
    expect(decodeCsvBuffer(bytes)).toEqual({ text, encoding: 'utf-16le' });
  });
});

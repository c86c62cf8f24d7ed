import iconv from 'iconv-lite';
import { decodeCsvSource, type CsvSource } from './decode-csv-source';

const text = '订单编号,收货地址\r\n1,"新疆维吾尔自治区 乌鲁木齐市 天山区 解放南路 8号（830000）"\r\n';

async function decode(source: CsvSource): Promise<{ text: string; encoding: string }> {
  const decoded = await decodeCsvSource(source);
  let out = '';
  for await (const piece of decoded.chunks) out += piece;
  return { text: out, encoding: decoded.encoding };
}

describe('decodeCsvSource', () => {
  it('reads GBK, which is what the Taobao seller centre downloads', async () => {
    expect(await decode(iconv.encode(text, 'gbk'))).toEqual({ text, encoding: 'gb18030' });
  });

  it('reads characters outside GBK from a GB18030 file', async () => {
    const rare = '收货人,𠀀\r\n';
    expect(await decode(iconv.encode(rare, 'gb18030'))).toEqual({ text: rare, encoding: 'gb18030' });
  });

  it('reads UTF-8 with a BOM and drops the BOM', async () => {
    expect(await decode(Buffer.from(`\uFEFF${text}`, 'utf8'))).toEqual({ text, encoding: 'utf-8-bom' });
  });

  it('reads UTF-8 without a BOM when every byte is valid UTF-8', async () => {
    expect(await decode(Buffer.from(text, 'utf8'))).toEqual({ text, encoding: 'utf-8' });
  });

  it('reads the UTF-16 that Excel writes for "Unicode text"', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
    expect(await decode(bytes)).toEqual({ text, encoding: 'utf-16le' });
  });

  it('decodes characters split across the pieces it reads, from an uploaded file as from bytes', async () => {
    // 40,000 three-byte characters put piece boundaries inside characters; a GBK byte late in the file makes it GB18030.
    const long = `${'订'.repeat(40_000)}\r\n`;
    expect(await decode(new Blob([new Uint8Array(Buffer.from(long, 'utf8'))]))).toEqual({ text: long, encoding: 'utf-8' });
    const gbk = iconv.encode(`${'单'.repeat(100_000)}\r\n`, 'gbk');
    expect(await decode(new Blob([new Uint8Array(gbk)]))).toEqual({ text: `${'单'.repeat(100_000)}\r\n`, encoding: 'gb18030' });
  });
});

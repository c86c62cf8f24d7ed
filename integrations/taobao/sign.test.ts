import { createHash, createHmac } from 'node:crypto';
import { signTopRequest } from './sign';

/** The example in Taobao's signature documentation (secret "helloworld"). */
const DOC_PARAMS = {
  method: 'taobao.item.seller.get',
  app_key: '12345678',
  session: 'test',
  timestamp: '2016-01-01 12:00:00',
  format: 'json',
  v: '2.0',
  sign_method: 'md5',
  fields: 'num_iid,title,nick,price,num',
  num_iid: '11223344',
};

describe('signTopRequest', () => {
  it('matches the md5 signature published in the TOP documentation', () => {
    expect(signTopRequest(DOC_PARAMS, 'helloworld', 'md5')).toBe('66987CB115214E59E6EC978214934FB8');
  });

  it('signs hmac-sha256 as uppercase HMAC-SHA256 of the sorted name+value pairs, keyed by the secret', () => {
    const joined =
      'app_key12345678fieldsnum_iid,title,nick,price,numformatjsonmethodtaobao.item.seller.getnum_iid11223344' +
      'sessiontestsign_methodhmac-sha256timestamp2016-01-01 12:00:00v2.0';
    const expected = createHmac('sha256', 'helloworld').update(joined, 'utf8').digest('hex').toUpperCase();
    expect(signTopRequest({ ...DOC_PARAMS, sign_method: 'hmac-sha256' }, 'helloworld', 'hmac-sha256')).toBe(expected);
  });

  it('signs plain hmac as HMAC-MD5, as the TOP SDKs do', () => {
    const joined = 'a1b2sign_methodhmac';
    const expected = createHmac('md5', 's3cret').update(joined, 'utf8').digest('hex').toUpperCase();
    expect(signTopRequest({ b: '2', a: '1', sign_method: 'hmac' }, 's3cret', 'hmac')).toBe(expected);
  });

  it('leaves out the sign itself and empty values, and hashes Chinese text as UTF-8', () => {
    const expected = createHash('md5').update('kbuyer_nick小鱼儿page_no1k', 'utf8').digest('hex').toUpperCase();
    const signed = signTopRequest({ page_no: '1', buyer_nick: '小鱼儿', status: '', sign: 'OLD', seller_memo: undefined }, 'k', 'md5');
    expect(signed).toBe(expected);
  });
});

/** A buyer as Taobao shows one: a nick, the receiver's real name, an 11-digit mobile and sometimes a landline. */
import type { SeededRandom } from './seeded-random';

export interface RandomBuyer {
  nick: string;
  name: string;
  mobile: string;
  phone?: string;
}

const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '林', '罗',
  '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹', '彭', '曾', '肖', '田', '董', '袁', '潘', '于', '蒋', '蔡',
  '余', '杜', '叶', '程', '苏', '魏', '吕', '丁', '任', '沈', '姚', '卢', '姜', '崔', '钟', '谭', '陆', '汪', '范', '金',
  '石', '廖', '贾', '夏', '韦', '付', '方', '白', '邹', '孟', '熊', '秦', '邱', '江', '尹', '薛', '闫', '段', '雷', '侯',
];
const COMPOUND_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '东方'];
const GIVEN = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '霞', '平', '刚',
  '婷', '浩', '宇', '欣', '怡', '子', '梓', '涵', '轩', '晨', '思', '雨', '佳', '俊', '鹏', '辉', '华', '玲', '琳', '颖',
  '建', '国', '文', '志', '海', '红', '春', '燕', '晓', '嘉', '诺', '博', '雪', '梅', '兰', '凤', '亮', '斌', '飞', '凯',
];
/** Uyghur names carry the middle dot (·), which label printers and validators must accept. */
const UYGHUR_NAMES = ['阿依古丽', '买买提·艾力', '热依拉·阿布都', '艾尔肯·吐尔逊', '古丽米热', '迪丽娜尔·吾斯曼'];
const TIBETAN_NAMES = ['扎西多吉', '次仁卓玛', '格桑拉姆', '央金', '旦增尼玛', '索朗次仁'];

const MOBILE_PREFIXES = ['130', '131', '132', '133', '134', '135', '136', '137', '138', '139', '150', '151', '152', '153',
  '155', '156', '157', '158', '159', '180', '181', '182', '183', '184', '185', '186', '187', '188', '189'];

const NICK_WORDS = ['xiaoyu', 'lucky', 'sunny', 'mumu', 'coco', 'lily', 'momo', 'jerry', 'kiki', 'dudu', 'tutu', 'happy'];
const NICK_ADJECTIVES = ['快乐的', '爱吃', '安静的', '微笑的', '小小', '勇敢的', '懒懒的', '会飞的'];
const NICK_NOUNS = ['小猪', '鱼', '猫咪', '兔子', '星星', '向日葵', '奶茶', '柠檬', '橙子', '考拉'];

/** `state` picks names that fit the region (Uyghur names in 新疆, Tibetan names in 西藏, now and then). */
export function randomBuyer(rng: SeededRandom, state: string, areaCode?: string): RandomBuyer {
  const name = regionalName(rng, state) ?? `${rng.chance(0.02) ? rng.pick(COMPOUND_SURNAMES) : rng.pick(SURNAMES)}${givenName(rng)}`;
  return {
    nick: randomNick(rng, name),
    name,
    mobile: `${rng.pick(MOBILE_PREFIXES)}${rng.digits(8)}`,
    ...(areaCode && rng.chance(0.1) ? { phone: `${areaCode}-${rng.int(2, 8)}${rng.digits(areaCode.length === 3 ? 7 : 6)}` } : {}),
  };
}

function regionalName(rng: SeededRandom, state: string): string | undefined {
  if (state.startsWith('新疆') && rng.chance(0.3)) return rng.pick(UYGHUR_NAMES);
  if (state.startsWith('西藏') && rng.chance(0.4)) return rng.pick(TIBETAN_NAMES);
  return undefined;
}

function givenName(rng: SeededRandom): string {
  return rng.chance(0.7) ? `${rng.pick(GIVEN)}${rng.pick(GIVEN)}` : rng.pick(GIVEN);
}

function randomNick(rng: SeededRandom, name: string): string {
  const roll = rng.next();
  if (roll < 0.3) return `tb${rng.digits(rng.int(8, 10))}`;
  if (roll < 0.55) return `${rng.pick(NICK_WORDS)}${rng.chance(0.5) ? '_' : ''}${rng.int(1, 9999)}`;
  if (roll < 0.8) return `${rng.pick(NICK_ADJECTIVES)}${rng.pick(NICK_NOUNS)}${rng.chance(0.5) ? rng.int(1, 999) : ''}`;
  return `${name}${rng.int(1970, 2008)}`;
}

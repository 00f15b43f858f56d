import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ID_NUMBER_MARKER,
  MASKED_ADDRESS,
  maskAddress,
  maskEmail,
  maskName,
  maskPhone,
  maskText,
  publicPersonalData,
} from '../../src/domain/masking.js';

/** Each input with what it must become, checked together with idempotence (masking the masked value changes nothing). */
function checkAll(mask: (value: string) => string, cases: readonly (readonly [string, string])[]): void {
  for (const [input, expected] of cases) {
    assert.equal(mask(input), expected, input);
    assert.equal(mask(expected), expected, `masking ${expected} again`);
  }
}

test('names are cut to the surname, compound surnames kept whole', () => {
  checkAll(maskName, [
    ['张三', '张**'],
    ['张三丰', '张**'],
    ['欧阳娜娜', '欧阳**'],
    ['司马光', '司马**'],
    ['诸葛亮', '诸葛**'],
    ['上官婉儿', '上官**'],
    ['慕容复', '慕容**'],
    ['万俟卨', '万俟**'],
    ['申屠嘉', '申屠**'],
    ['令狐冲', '令狐**'],
    ['皇甫嵩', '皇甫**'],
    // Two characters are a one-character surname and a one-character given name, even when they spell a compound surname.
    ['欧阳', '欧**'],
    // A one-character name: the surname and one star.
    ['张', '张*'],
    // Spaces typed into a Han name do not count.
    [' 张 三 ', '张**'],
    // Not all Han: the first character kept.
    ['John Smith', 'J**'],
    ['阿依古丽·买买提', '阿**'],
    ['J', 'J*'],
    ['', ''],
  ]);
  // Already masked names stay as they are.
  assert.equal(maskName('张*'), '张*');
  assert.equal(maskName('欧阳**'), '欧阳**');
});

test('mobiles keep their first three and last four digits, however they are written', () => {
  checkAll(maskPhone, [
    ['13812345678', '138****5678'],
    ['138 1234 5678', '138****5678'],
    ['138-1234-5678', '138****5678'],
    ['+86 13812345678', '138****5678'],
    ['+86-138-1234-5678', '138****5678'],
    ['008613812345678', '138****5678'],
    ['１３８１２３４５６７８', '138****5678'],
    [' 19912345678 ', '199****5678'],
  ]);
});

test('landlines keep the area code and the last four digits', () => {
  checkAll(maskPhone, [
    ['0512-63456789', '0512-****6789'],
    ['(0512)63456789', '0512-****6789'],
    ['（０５１２）６３４５６７８９', '0512-****6789'],
    ['0512 63456789', '0512-****6789'],
    ['051263456789', '0512-****6789'],
    ['0512-6345678', '0512-****5678'],
    ['010-62345678', '010-****5678'],
    ['(021)6234-5678', '021-****5678'],
  ]);
});

test('a phone field with an extension, words or two numbers has each number masked in place', () => {
  checkAll(maskPhone, [
    ['0512-63456789-801', '0512-****6789-801'],
    ['0512-63456789转801', '0512-****6789转801'],
    ['手机13812345678', '手机138****5678'],
    ['13812345678 / 0512-63456789', '138****5678 / 0512-****6789'],
  ]);
});

test('a phone field that is no recognisable number keeps only its last four digits', () => {
  checkAll(maskPhone, [
    // No area code.
    ['63456789', '****6789'],
    ['6345-6789', '****-6789'],
    // 010 numbers never start with 1.
    ['010-12345678', '***-****5678'],
    // Too long to be one phone: not a mobile and a stray digit.
    ['138123456789', '********6789'],
    ['1234', '1234'],
    ['', ''],
  ]);
});

test('e-mail addresses keep their first character and domain', () => {
  checkAll(maskEmail, [
    ['zhang.san@example.com', 'z***@example.com'],
    ['a@b.cn', 'a***@b.cn'],
    ['13812345678@163.com', '1***@163.com'],
    [' Wang@Example.COM ', 'W***@Example.COM'],
    ['ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'z***@example.com'],
    // Not an e-mail address: masked whole.
    ['zhangsan', '***'],
    ['@example.com', '***'],
    ['', ''],
  ]);
});

test('addresses are cut to the district', () => {
  checkAll(maskAddress, [
    ['江苏省苏州市吴江区松陵镇中山路88号3幢', '江苏省苏州市吴江区'],
    ['北京市朝阳区建国路1号', '北京市朝阳区'],
    ['上海市浦东新区世纪大道100号', '上海市浦东新区'],
    ['江苏省苏州市昆山市玉山镇人民路5号', '江苏省苏州市昆山市'],
    ['江苏省徐州市沛县沛城镇汉兴路2号', '江苏省徐州市沛县'],
    ['浙江省杭州市西湖区文三路90号', '浙江省杭州市西湖区'],
    ['广西壮族自治区南宁市青秀区民族大道1号', '广西壮族自治区南宁市青秀区'],
    ['内蒙古自治区锡林郭勒盟正蓝旗上都镇', '内蒙古自治区锡林郭勒盟正蓝旗'],
    ['吉林省延边朝鲜族自治州延吉市光明街1号', '吉林省延边朝鲜族自治州延吉市'],
    ['新疆维吾尔自治区喀什地区喀什市人民东路', '新疆维吾尔自治区喀什地区喀什市'],
    ['湖北省恩施州来凤县翔凤镇', '湖北省恩施州来凤县'],
    ['云南省普洱市澜沧拉祜族自治县勐朗镇', '云南省普洱市澜沧拉祜族自治县'],
    ['江苏省苏州工业园区星湖街328号', '江苏省苏州工业园区'],
    // No city: the district still ends it.
    ['苏州市吴江区松陵镇', '苏州市吴江区'],
    ['吴江区松陵镇中山路88号', '吴江区'],
    // No district-level part: kept up to the city, or the province.
    ['江苏省苏州市姑苏路1号', '江苏省苏州市'],
    ['江苏省苏州市阳光小区3幢', '江苏省苏州市'],
    ['江苏省苏州市红旗小区3幢', '江苏省苏州市'],
    ['江苏省苏州市家乐福超市对面', '江苏省苏州市'],
    ['江苏省苏州市金鸡湖社区', '江苏省苏州市'],
    ['江苏省中山路88号', '江苏省'],
    // A district whose name reads like a street is not recognised: cut one level higher, never lower.
    ['山东省济南市市中区经四路1号', '山东省济南市'],
    // Nothing recognisable.
    ['中山路88号3幢', MASKED_ADDRESS],
    ['松陵镇中山路88号', MASKED_ADDRESS],
    ['', ''],
  ]);
});

const LETTER =
  '尊敬的领导：我是张三，住在江苏省苏州市吴江区松陵镇中山路88号3幢。' +
  '2025年10月1日起小区门口道路施工，噪音扰民。根据吴政发〔2025〕12号文件，夜间不得施工。' +
  '请联系我：手机138 1234 5678，座机（0512）63456789，邮箱zhangsan@example.com，' +
  '身份证号32050519900101123X。此致，张三';

const REPLY =
  '张三同志：您反映的松陵镇中山路88号3幢附近夜间施工问题，区住建局已责令整改，' +
  '罚款13800元。联系电话0512-63000000，邮编215200。';

const KNOWN = { names: ['张三'], addresses: ['江苏省苏州市吴江区松陵镇中山路88号3幢'] };

test('a letter: the writer twice by name, the address, a spaced mobile, a landline, an e-mail and an ID ending in X', () => {
  assert.equal(
    maskText(LETTER, KNOWN),
    '尊敬的领导：我是张**，住在江苏省苏州市吴江区。' +
      '2025年10月1日起小区门口道路施工，噪音扰民。根据吴政发〔2025〕12号文件，夜间不得施工。' +
      '请联系我：手机138****5678，座机0512-****6789，邮箱z***@example.com，' +
      `身份证号${ID_NUMBER_MARKER}。此致，张**`,
  );
});

test('a reply: the name and the part of the address below the district, amounts and postal codes untouched', () => {
  assert.equal(
    maskText(REPLY, KNOWN),
    '张**同志：您反映的***附近夜间施工问题，区住建局已责令整改，' + '罚款13800元。联系电话0512-****0000，邮编215200。',
  );
});

test('the address is masked from wherever the text starts it', () => {
  assert.equal(
    maskText('家住苏州市吴江区松陵镇中山路88号3幢，即吴江区松陵镇中山路88号3幢。', KNOWN),
    '家住苏州市吴江区，即吴江区。',
  );
});

test('ID numbers are removed whole: 18 digits, a final X or x, and the old 15 digits', () => {
  assert.equal(
    maskText('身份证：320505199001011234；32050519900101123X；32050519900101123x；旧证320505900101123。'),
    `身份证：${ID_NUMBER_MARKER}；${ID_NUMBER_MARKER}；${ID_NUMBER_MARKER}；旧证${ID_NUMBER_MARKER}。`,
  );
  // Its middle is no phone: 13812345678 inside an ID number is not masked on its own.
  assert.equal(maskText('证号110105138123456789'), `证号${ID_NUMBER_MARKER}`);
  assert.equal(maskText('ID 110105199001011234, ok'), `ID ${ID_NUMBER_MARKER}, ok`);
});

test('phones found in free text, in every way they are written', () => {
  assert.equal(
    maskText('电话13812345678、138-1234-5678、+86 13812345678、0086 13812345678，（0512）63456789或010-62345678。'),
    '电话138****5678、138****5678、138****5678、138****5678，0512-****6789或010-****5678。',
  );
  assert.equal(maskText('手机：１３８１２３４５６７８，谢谢！'), '手机：138****5678，谢谢！');
  assert.equal(maskText('Tel: 13912345678; mail: li.si@gov.cn.'), 'Tel: 139****5678; mail: l***@gov.cn.');
});

test('ordinary numbers stay: dates, 文号, amounts, postal codes, other 11-digit numbers and longer digit runs', () => {
  const ordinary =
    '2025年10月1日（2025-10-01 13:45），吴政发〔2025〕12号、苏府办〔2024〕138号，' +
    '补贴13800元，共1380000元，邮编215200，订单号20251001123，工单12345678901，' +
    '工商注册号320500000012345，银行卡号6222021234567890123，编号A13812345678，' +
    '第13812345678901号，版本v13812345678。';
  assert.equal(maskText(ordinary), ordinary);
});

test('a text with nothing personal is unchanged, full-width punctuation included', () => {
  const text = '关于加强城市道路夜间施工管理的建议：建议在２２：００后停止施工（节假日除外）。';
  assert.equal(maskText(text), text);
  assert.equal(maskText(text, KNOWN), text);
  assert.equal(maskText(''), '');
});

test('known phones and e-mail addresses the patterns do not catch are masked too', () => {
  assert.equal(
    maskText('请拨63456789或写信到 zs@intranet 联系', { phones: ['63456789'], emails: ['zs@intranet'] }),
    '请拨****6789或写信到 z***@intranet 联系',
  );
  // A known number does not match inside a longer number.
  assert.equal(maskText('编号163456789', { phones: ['63456789'] }), '编号163456789');
});

test('known names: Latin names as whole words, one-character values ignored', () => {
  assert.equal(maskText('Dear John, John Smith wrote.', { names: ['John Smith'] }), 'Dear John, J** wrote.');
  assert.equal(maskText('Johnny Smithers', { names: ['Johnny'] }), 'J** Smithers');
  assert.equal(maskText('Johnny', { names: ['John'] }), 'Johnny');
  // A one-character value would hit ordinary words (主张): it is not searched for.
  assert.equal(maskText('我主张尽快处理', { names: ['张'] }), '我主张尽快处理');
  // The longer of two overlapping names wins.
  assert.equal(maskText('欧阳娜娜和欧阳', { names: ['欧阳', '欧阳娜娜'] }), '欧阳**和欧**');
});

test('masking a masked text changes nothing', () => {
  const texts = [
    LETTER,
    REPLY,
    '电话13812345678、138-1234-5678、+86 13812345678，（0512）63456789或010-62345678，邮箱13812345678@163.com',
    '身份证：320505199001011234；旧证320505900101123。',
    '家住苏州市吴江区松陵镇中山路88号3幢',
  ];
  for (const text of texts) {
    const once = maskText(text, KNOWN);
    assert.notEqual(once, text, text);
    assert.equal(maskText(once, KNOWN), once, once);
    assert.equal(maskText(once), once, once);
  }
});

test('public pages show the name only when the writer agreed, everything else masked', () => {
  const data = {
    name: '欧阳娜娜',
    phone: '138 1234 5678',
    email: 'ouyang@example.com',
    address: '江苏省苏州市吴江区松陵镇中山路88号3幢',
    idNumber: '32050519900101123X',
  };
  assert.deepEqual(publicPersonalData(data, false), {
    name: '欧阳**',
    phone: '138****5678',
    email: 'o***@example.com',
    address: '江苏省苏州市吴江区',
    idNumber: ID_NUMBER_MARKER,
  });
  assert.deepEqual(publicPersonalData(data, true), {
    name: '欧阳娜娜',
    phone: '138****5678',
    email: 'o***@example.com',
    address: '江苏省苏州市吴江区',
    idNumber: ID_NUMBER_MARKER,
  });
  // No ID number given: none shown.
  assert.deepEqual(
    publicPersonalData({ name: '张三', phone: '0512-63456789', email: '', address: '北京市朝阳区建国路1号' }, false),
    { name: '张**', phone: '0512-****6789', email: '', address: '北京市朝阳区' },
  );
  assert.deepEqual(publicPersonalData({ ...data, idNumber: '' }, true), {
    name: '欧阳娜娜',
    phone: '138****5678',
    email: 'o***@example.com',
    address: '江苏省苏州市吴江区',
  });
  // Showing the masked data again changes nothing.
  const shown = publicPersonalData(data, false);
  assert.deepEqual(publicPersonalData(shown, false), shown);
});

test('a reply keeps the landlines it gives to call, and masks the writer’s own and every mobile', () => {
  const reply = '请拨打区住建局电话0512-63000000咨询。来信人电话0512-63451234、13812345678已回访。';
  assert.equal(
    maskText(reply, { phones: ['0512-63451234'] }, { landlines: false }),
    '请拨打区住建局电话0512-63000000咨询。来信人电话0512-****1234、138****5678已回访。',
  );
  assert.equal(
    maskText(reply, { phones: ['0512-63451234'] }),
    '请拨打区住建局电话0512-****0000咨询。来信人电话0512-****1234、138****5678已回访。',
  );
});

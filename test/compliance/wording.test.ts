import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GazetteError } from '../../src/domain/index.js';
import { segment } from '../../src/search/index.js';
import {
  Automaton,
  WordingChecker,
  loadDictionaryFiles,
  mergeEntries,
  oneEdit,
  parseDictionary,
  pinyinReadings,
  shippedEntries,
  type Finding,
} from '../../src/compliance/wording/index.js';

const checker = new WordingChecker(shippedEntries(), pinyinReadings, segment);
const body = (text: string) => checker.check({ body: text });
/** Findings as `kind severity text→suggestion` lines, easy to compare whole. */
const brief = (findings: readonly Finding[]) =>
  findings.map((f) => `${f.kind} ${f.severity} ${f.text}→${f.suggestion}`);
const listed = (phrase: string) =>
  shippedEntries()
    .filter((e) => e.phrase === phrase)
    .map((e) => e.kind);

describe('the shipped dictionary', () => {
  test('has at least 2,000 valid entries, institutions, leaders and formulas among them', () => {
    const entries = shippedEntries();
    assert.ok(entries.length >= 2000, `${entries.length} entries`);
    assert.deepEqual(listed('国家卫生健康委员会'), ['canonical']);
    assert.deepEqual(listed('习近平'), ['leader']);
    assert.deepEqual(listed('四个自信'), ['formula']);
    assert.deepEqual(listed('国家工商行政管理总局'), ['outdated']);
    assert.deepEqual(listed('吴江区'), ['canonical']);
  });
});

describe('wording check', () => {
  test("a leader's name one character off next to a title is serious, with its place and the right name", () => {
    const text = '会议传达学习了习进平总书记的重要讲话精神。';
    const [finding, ...rest] = body(text);
    assert.deepEqual(rest, []);
    assert.deepEqual(finding, {
      field: 'body',
      start: 7,
      end: 10,
      text: '习进平',
      occurrence: 0,
      kind: 'near-miss',
      severity: 'serious',
      suggestion: '习近平',
      entry: '习近平',
      reason: '领导人姓名疑似写错（“近”写成了“进”），应为“习近平”（中共中央总书记、国家主席、中央军委主席）',
    });
    assert.deepEqual(brief(body('国家主席席近平出席会议。')), ['near-miss serious 席近平→习近平']);
    assert.deepEqual(brief(body('国务院总理李墙主持会议。')), ['near-miss serious 李墙→李强']);
  });

  test('near misses of canonical names that no list names are found: a homophone, a dropped character', () => {
    assert.deepEqual(listed('国家卫生建康委员会'), []);
    assert.deepEqual(listed('国家市场监督管总局'), []);
    const homophone = body('国家卫生建康委员会印发通知。');
    assert.deepEqual(brief(homophone), ['near-miss serious 国家卫生建康委员会→国家卫生健康委员会']);
    assert.equal(homophone[0]?.reason, '疑似“国家卫生健康委员会”的误写（“健”写成了“建”）（国务院组成部门）');
    const dropped = body('国家市场监督管总局发布公告。');
    assert.deepEqual(brief(dropped), ['near-miss serious 国家市场监督管总局→国家市场监督管理总局']);
    assert.equal(dropped[0]?.reason, '疑似“国家市场监督管理总局”的误写（漏了“理”）（国务院机构名称）');
    assert.deepEqual(brief(body('中华人民共合国成立七十五周年。')), [
      'near-miss serious 中华人民共合国→中华人民共和国',
    ]);
    assert.deepEqual(brief(body('全国人民代表大常务委员会')), [
      'near-miss serious 全国人民代表大常务委员会→全国人民代表大会常务委员会',
    ]);
  });

  test('members of a fixed formula out of order are a serious finding spanning the list', () => {
    const text = '坚定理论自信、道路自信、制度自信、文化自信。';
    assert.deepEqual(
      body(text).map((f) => [f.kind, f.severity, f.start, f.end, f.entry, f.suggestion]),
      [['order', 'serious', 2, 21, '四个自信', '道路自信、理论自信、制度自信、文化自信']],
    );
    assert.deepEqual(brief(body('增强政治意识、核心意识、大局意识、看齐意识')), [
      'order serious 政治意识、核心意识、大局意识、看齐意识→政治意识、大局意识、核心意识、看齐意识',
    ]);
    assert.deepEqual(
      body('坚定道路自信、理论自信、制度自信、文化自信，增强政治意识、大局意识、核心意识、看齐意识。'),
      [],
    );
    // Two members apart in the prose are not a list; a few ordinary words are not a formula.
    assert.deepEqual(body('文化自信是更基础的自信，道路自信是根本。'), []);
    assert.deepEqual(body('倡导自由、平等、民主的理念。'), []);
    assert.deepEqual(brief(body('坚持协调、创新、绿色发展')), [
      'order serious 协调、创新、绿色→创新、协调、绿色、开放、共享',
    ]);
  });

  test('listed wrong and outdated forms, except inside a correct phrase', () => {
    assert.deepEqual(brief(body('国家旅游局和文化部联合发文，台湾总统出席。')), [
      'outdated suspect 国家旅游局→文化和旅游部',
      'outdated suspect 文化部→文化和旅游部',
      'wrong serious 台湾总统→台湾地区领导人',
    ]);
    assert.deepEqual(body('各地文化部门、农业部门和住房和城乡建设部。'), []);
    assert.deepEqual(brief(body('银保监会')), ['outdated suspect 银保监会→国家金融监督管理总局']);
    assert.deepEqual(body('深入学习习近平新时代中国特色社会主义思想'), []);
    assert.deepEqual(brief(body('深入学习新时代中国特色社会主义思想')), [
      'wrong serious 新时代中国特色社会主义思想→习近平新时代中国特色社会主义思想',
    ]);
  });

  test('no finding on a canonical phrase, inside a longer one, or on ordinary prose near a name', () => {
    for (const text of [
      '国家卫生健康委员会',
      '吉林市人民政府',
      '吉林省人民政府',
      '浙江全省各地',
      '石家庄是河北省会',
      '乡村要振兴',
      '中国特色的社会主义道路',
      '李刚同志',
      '习近平总书记',
      '国家主席习近平',
      '全国人大常委会委员长赵乐际',
      '四个方面',
      '三位一体',
    ])
      assert.deepEqual(body(text), [], text);
  });

  test('clean content reports nothing: the demo pages and the test pages', () => {
    for (const dir of ['demo/pages', 'test/fixtures/pages']) {
      for (const file of fs.readdirSync(dir)) {
        assert.deepEqual(brief(checker.check({ body: fs.readFileSync(path.join(dir, file), 'utf8') })), [], file);
      }
    }
  });

  test('title and summary are checked too, and occurrences count earlier copies of the text', () => {
    const found = checker.check({
      title: '国家旅游局通知',
      summary: '据国家旅游局',
      body: '国家旅游局，又见国家旅游局',
    });
    assert.deepEqual(
      found.map((f) => [f.field, f.start, f.occurrence]),
      [
        ['title', 0, 0],
        ['summary', 1, 0],
        ['body', 0, 0],
        ['body', 8, 1],
      ],
    );
  });

  test("a site's entries: a custom wrong form, a disabled shipped entry", () => {
    const site = [
      { ...parseDictionary('示范区管委会\twrong\tcustom\t示范区管理委员会\t本站用语', 'site')[0]!, enabled: true },
      { ...parseDictionary('文化部\toutdated\tsuspect\t文化和旅游部\t', 'site')[0]!, enabled: false },
    ];
    const own = new WordingChecker(mergeEntries(shippedEntries(), site), pinyinReadings, segment);
    assert.deepEqual(brief(own.check({ body: '示范区管委会与文化部' })), [
      'wrong custom 示范区管委会→示范区管理委员会',
    ]);
  });
});

describe('dictionary loading', () => {
  test('a bad line is refused with file:line: reason', () => {
    const cases: [string, string][] = [
      [
        '# ok\n中华人民共和国\tcanonical\tserious\t\t\n错词\twrong\tserious\t\t\n',
        'x.tsv:3: 错敏词词库有误：“错词”须给出正确写法',
      ],
      ['甲乙\tcanonical\tfatal\t\t\n', 'x.tsv:1: 错敏词词库有误：级别“fatal”无效（可选：serious、suspect、custom）'],
      [
        '甲乙\tname\tserious\t\t\n',
        'x.tsv:1: 错敏词词库有误：类型“name”无效（可选：canonical、wrong、outdated、formula、leader、title、allow）',
      ],
      ['\n\n甲乙\tcanonical\n', 'x.tsv:3: 错敏词词库有误：应有 5 或 6 列（以制表符分隔），实有 2 列'],
      [
        '四个自信\tformula\tserious\t道路自信\t\n',
        'x.tsv:1: 错敏词词库有误：提法“四个自信”须在建议列列出至少两项（以“、”分隔）',
      ],
      [
        '甲乙\tcanonical\tserious\t\t\tloud\n',
        'x.tsv:1: 错敏词词库有误：选项“loud”无效（可选：nonear、near、ends、strong）',
      ],
      [
        '甲乙\tcanonical\tserious\t\t\n甲乙\tcanonical\tsuspect\t\t\n',
        'x.tsv:2: 错敏词词库有误：“甲乙”（canonical）与第 1 行重复',
      ],
    ];
    for (const [text, report] of cases) {
      assert.throws(
        () => parseDictionary(text, 'x.tsv'),
        (error: unknown) => error instanceof GazetteError && error.report('zh') === report,
        report,
      );
    }
  });

  test('an entry repeated in a second file is refused at its own line', (t) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-wording-'));
    t.after(() => fs.rmSync(dir, { recursive: true }));
    const first = path.join(dir, 'a.tsv');
    const second = path.join(dir, 'b.tsv');
    fs.writeFileSync(first, '国务院\tcanonical\tserious\t\t\n');
    fs.writeFileSync(second, '# comment\n国务院\tcanonical\tserious\t\t\n');
    assert.throws(
      () => loadDictionaryFiles([first, second]),
      (error: unknown) =>
        error instanceof GazetteError &&
        error.report('en') === `${second}:2: Invalid wording dictionary entry: "国务院" (canonical) repeats ${first}:1`,
    );
  });
});

describe('building blocks', () => {
  test('the automaton finds overlapping phrases in one pass', () => {
    const automaton = new Automaton(['国务院', '国务院办公厅', '办公', '公厅']);
    assert.deepEqual(automaton.scan('国务院办公厅'), [
      { start: 0, end: 3, pattern: 0 },
      { start: 3, end: 5, pattern: 2 },
      { start: 0, end: 6, pattern: 1 },
      { start: 4, end: 6, pattern: 3 },
    ]);
  });

  test('oneEdit names the single edit, or none', () => {
    assert.deepEqual(oneEdit('甲丙乙丁', '甲乙丙丁'), { type: 'transposition', at: 1 });
    assert.deepEqual(oneEdit('甲乙戊丁', '甲乙丙丁'), { type: 'substitution', at: 2, char: '戊' });
    assert.deepEqual(oneEdit('甲丙丁', '甲乙丙丁'), { type: 'deletion', at: 1 });
    assert.deepEqual(oneEdit('甲乙戊丙丁', '甲乙丙丁'), { type: 'insertion', at: 2, char: '戊' });
    assert.equal(oneEdit('甲乙丙丁', '甲乙丙丁'), null);
    assert.equal(oneEdit('甲戊己丁', '甲乙丙丁'), null);
  });
});

describe('one-character slips of serious phrases, found as serious (issue 21, gap 3)', () => {
  test('regression: a homophone in the name of the guiding thought was at most suspect; it is serious', () => {
    assert.deepEqual(brief(body('坚持以习近平新时代中国特色社会主义思响为指导。')), [
      'near-miss serious 习近平新时代中国特色社会主义思响→习近平新时代中国特色社会主义思想',
    ]);
  });

  test('a slip at either end of a long name, in a short name sounding alike, and in a long list of titles', () => {
    assert.deepEqual(brief(body('中华人民共和锅成立七十五周年。')), [
      'near-miss serious 中华人民共和锅→中华人民共和国',
    ]);
    assert.deepEqual(brief(body('盅华人民共和国成立七十五周年。')), [
      'near-miss serious 盅华人民共和国→中华人民共和国',
    ]);
    // Read as 国 written 蔼 (the window the index meets first); either way serious.
    assert.deepEqual(brief(body('中华人民共和蔼国成立七十五周年。')), [
      'near-miss serious 中华人民共和蔼→中华人民共和国',
    ]);
    assert.deepEqual(brief(body('他曾在外交簿工作。')), ['near-miss serious 外交簿→外交部']);
    assert.deepEqual(brief(body('会上宣读了中共中央总书计、国家主席、中央军委主席习近平的贺信。')), [
      'near-miss serious 中共中央总书计、国家主席、中央军委主席习近平→中共中央总书记、国家主席、中央军委主席习近平',
    ]);
  });

  test("a title one character off after a leader's name, and a name with a character dropped or added", () => {
    assert.deepEqual(brief(body('会议传达学习了习近平总书纪的重要讲话精神。')), ['near-miss serious 总书纪→总书记']);
    assert.deepEqual(brief(body('会议传达学习了习平总书记的重要讲话精神。')), [
      'near-miss serious 习平总书记→习近平总书记',
    ]);
    assert.deepEqual(brief(body('会议传达学习了习近近平总书记的重要讲话精神。')), [
      'near-miss serious 习近近平→习近平',
    ]);
  });

  test('other text that is one character from a serious name is not a slip', () => {
    for (const text of [
      '中共中山市委召开会议。', // 中山 is a city: 中共|中山, not 中共中央 slipped
      '加强科学技术创新。', // 科学技术 is a word, not 科学技术部 short of a character
      '市人力资源和社会保障局发布通知。', // a bureau, not the ministry (…部)
      '江苏和浙江两省。', // 江苏|和, 浙江|两省
      '全国一部分地区降温。',
      '会议传达学习了习近平同志的讲话。',
      '会议由李强主持。',
      '学习习近平总书记重要讲话。',
      '丁薛祥副总理出席会议。',
      '韩正副主席会见外宾。',
    ])
      assert.deepEqual(brief(body(text)), [], text);
  });
});

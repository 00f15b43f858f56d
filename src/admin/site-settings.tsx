// 网站设置: site-wide switches for the site administrator. Grey mode (哀悼日置灰) turns every public
// page grey at once (pages link /site-mode.css, served from this setting; nothing is re-rendered).
// The media quota limits what each user may upload to the site (ASVS 12.1.3). The 政策解读 limit
// says how many working days a published policy may wait for its 解读 before the health report warns.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { useBusy, useLoad } from './hooks';
import { getLang, t } from './i18n';
import { AlertText, Field, Loading, ScreenTitle, StatusText } from './ui';

interface SiteSettings {
  id: number;
  name: string;
  timeZone: string;
  mourning: boolean;
  placedPages: 'link' | 'copy';
  mediaQuotaMb: number;
  interpretationDueDays: number;
}

/** The largest quota the API takes (MiB, 1 TiB). */
const MAX_QUOTA_MB = 1024 * 1024;
/** The working days the API takes for the 政策解读 limit. */
const DUE_DAYS = { min: 1, max: 30 } as const;

// This screen's own words [中文, English]; kept here so the shared message files stay untouched.
const TEXT = {
  mourning: ['哀悼日置灰', 'Grey mode for days of mourning'],
  explain: [
    '开启后，门户网站所有页面立即以黑白（灰色）显示，各服务器同时生效，无需重新生成页面；哀悼日结束后关闭即可恢复。',
    'When on, every page of the public site shows in black and white at once, on every server, without re-rendering any page; turn it off when the day of mourning is over.',
  ],
  isOn: ['当前状态：已置灰', 'Now: the site is grey'],
  isOff: ['当前状态：正常显示', 'Now: the site shows in colour'],
  turnOn: ['全站置灰', 'Turn the site grey'],
  turnOff: ['恢复彩色', 'Restore colour'],
  turnedOn: ['已开启全站置灰，门户网站已显示为灰色。', 'Grey mode is on: the public site now shows in grey.'],
  turnedOff: ['已关闭置灰，门户网站已恢复彩色。', 'Grey mode is off: the public site shows in colour again.'],
  view: ['查看门户网站', 'View the public site'],
  placed: ['引用文章的显示方式', 'Articles placed from other sites'],
  placedExplain: [
    '其他站点的文章引用到本站栏目后，列表可以链接到原站点的文章页，也可以在本站生成一份副本（页面注明 rel=canonical 指向原文）。',
    "Articles of other sites placed in this site's columns can link to their own page, or be kept here as a copy whose rel=canonical names the original.",
  ],
  placedLink: ['链接到原文', 'Link to the original'],
  placedCopy: ['在本站生成副本', 'Keep a copy on this site'],
  placedSaved: ['已保存引用文章的显示方式。', 'Saved how placed articles are shown.'],
  quota: ['媒体空间配额', 'Media quota'],
  quotaExplain: [
    '每位用户在本站上传的图片和附件合计不得超过此大小；超出时上传被拒绝，已上传的文件不受影响。',
    'What each user may upload to this site in all, images and attachments together; an upload beyond it is refused, and files already uploaded stay.',
  ],
  quotaLabel: ['每位用户的配额（MB）', 'Quota per user (MB)'],
  quotaSave: ['保存配额', 'Save the quota'],
  quotaSaved: ['已保存媒体空间配额。', 'Saved the media quota.'],
  due: ['政策解读时限', 'Time limit for policy interpretations'],
  dueExplain: [
    '政策文件发布后，应在此时限内发布解读并关联该文件；网站健康报告列出尚未关联解读的政策文件，超过时限即提醒。按工作日计算（与领导信箱使用同一工作日历），可设 1 到 30 个工作日。',
    'A published policy should get its interpretation, linked to it, within this limit; the site health report lists the policies still without one and warns once the limit is past. Counted in working days (the letter desk’s calendar), from 1 to 30.',
  ],
  dueLabel: ['政策解读时限（工作日）', 'Time limit for interpretations (working days)'],
  dueSave: ['保存时限', 'Save the time limit'],
  dueSaved: ['已保存政策解读时限。', 'Saved the time limit for interpretations.'],
} as const;

function tr(key: keyof typeof TEXT): string {
  return TEXT[key][getLang() === 'en' ? 1 : 0];
}

export function SiteSettingsScreen() {
  const loaded = useLoad(() => api.get<SiteSettings>('/api/v1/site'), []);
  const [settings, setSettings] = useState<SiteSettings | null>(null);
  const [message, setMessage] = useState('');
  const [quota, setQuota] = useState('');
  const [dueDays, setDueDays] = useState('');
  const { busy, error, run } = useBusy();
  useEffect(() => {
    if (loaded.data) {
      setSettings(loaded.data);
      setQuota(String(loaded.data.mediaQuotaMb));
      setDueDays(String(loaded.data.interpretationDueDays));
    }
  }, [loaded.data]);

  const toggle = async () => {
    if (!settings) return;
    const saved = await run(() => api.patch<SiteSettings>('/api/v1/site', { mourning: !settings.mourning }));
    if (saved) {
      setSettings(saved);
      setMessage(saved.mourning ? tr('turnedOn') : tr('turnedOff'));
    }
  };

  const choosePlaced = async (placedPages: SiteSettings['placedPages']) => {
    const saved = await run(() => api.patch<SiteSettings>('/api/v1/site', { placedPages }));
    if (saved) {
      setSettings(saved);
      setMessage(tr('placedSaved'));
    }
  };

  const saveQuota = async (event: Event) => {
    event.preventDefault();
    const saved = await run(() => api.patch<SiteSettings>('/api/v1/site', { mediaQuotaMb: Number(quota) }));
    if (saved) {
      setSettings(saved);
      setQuota(String(saved.mediaQuotaMb));
      setMessage(tr('quotaSaved'));
    }
  };

  const saveDueDays = async (event: Event) => {
    event.preventDefault();
    const saved = await run(() => api.patch<SiteSettings>('/api/v1/site', { interpretationDueDays: Number(dueDays) }));
    if (saved) {
      setSettings(saved);
      setDueDays(String(saved.interpretationDueDays));
      setMessage(tr('dueSaved'));
    }
  };

  return (
    <>
      <ScreenTitle title={t('nav.siteSettings')} />
      <Loading loading={loaded.loading} error={loaded.error} />
      {settings ? (
        <section class="panel" aria-labelledby="mourning-title">
          <h2 id="mourning-title">{tr('mourning')}</h2>
          <p id="mourning-explain">{tr('explain')}</p>
          <p>
            <strong id="mourning-state">{settings.mourning ? tr('isOn') : tr('isOff')}</strong>
          </p>
          <p>
            <button
              type="button"
              id="mourning-toggle"
              class={settings.mourning ? 'primary' : 'danger'}
              disabled={busy}
              aria-describedby="mourning-explain mourning-state"
              onClick={() => void toggle()}
            >
              {settings.mourning ? tr('turnOff') : tr('turnOn')}
            </button>{' '}
            <a href="/">{tr('view')}</a>
          </p>
          <StatusText text={message} />
          <AlertText error={error} />
        </section>
      ) : null}
      {settings ? (
        <section class="panel" aria-labelledby="placed-title">
          <h2 id="placed-title">{tr('placed')}</h2>
          <p id="placed-explain">{tr('placedExplain')}</p>
          <div class="field">
            <label for="placed-pages">{tr('placed')}</label>
            <select
              id="placed-pages"
              aria-describedby="placed-explain"
              value={settings.placedPages}
              disabled={busy}
              onChange={(event) => void choosePlaced(event.currentTarget.value === 'copy' ? 'copy' : 'link')}
            >
              <option value="link">{tr('placedLink')}</option>
              <option value="copy">{tr('placedCopy')}</option>
            </select>
          </div>
        </section>
      ) : null}
      {settings ? (
        <section class="panel" aria-labelledby="quota-title">
          <h2 id="quota-title">{tr('quota')}</h2>
          <p>{tr('quotaExplain')}</p>
          <form class="narrow-form" onSubmit={(event) => void saveQuota(event)}>
            <Field
              id="media-quota"
              label={tr('quotaLabel')}
              type="number"
              min={1}
              max={MAX_QUOTA_MB}
              step={1}
              required
              value={quota}
              onValue={setQuota}
            />
            <button type="submit" id="media-quota-save" class="primary" disabled={busy}>
              {tr('quotaSave')}
            </button>
          </form>
        </section>
      ) : null}
      {settings ? (
        <section class="panel" aria-labelledby="interpretation-due-title">
          <h2 id="interpretation-due-title">{tr('due')}</h2>
          <p>{tr('dueExplain')}</p>
          <form class="narrow-form" onSubmit={(event) => void saveDueDays(event)}>
            <Field
              id="interpretation-due-days"
              label={tr('dueLabel')}
              type="number"
              min={DUE_DAYS.min}
              max={DUE_DAYS.max}
              step={1}
              required
              value={dueDays}
              onValue={setDueDays}
            />
            <button type="submit" id="interpretation-due-save" class="primary" disabled={busy}>
              {tr('dueSave')}
            </button>
          </form>
        </section>
      ) : null}
    </>
  );
}

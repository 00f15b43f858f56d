// The site switcher: one account works on every site it holds a role on. The choice is kept in
// the browser and sent with every API call (X-Gazette-Site); switching reloads the back office,
// so that every screen, permission and list is the chosen site's.
import { api, chooseSite } from './api';
import { useLoad } from './hooks';
import { getLang } from './i18n';

interface SiteChoice {
  id: number;
  name: string;
  domain: string;
}

const LABEL = ['当前站点', 'Site'] as const;

export function SiteSwitcher() {
  const loaded = useLoad(() => api.get<{ items: SiteChoice[]; currentId: number | null }>('/api/v1/session/sites'), []);
  const data = loaded.data;
  // One site (or none to choose from): nothing to switch.
  if (!data || data.items.length < 2) return null;
  const label = LABEL[getLang() === 'en' ? 1 : 0];
  return (
    <label class="site-switcher">
      <span>{label}</span>{' '}
      <select
        id="site-switcher"
        value={data.currentId === null ? '' : String(data.currentId)}
        onChange={(event) => {
          chooseSite(Number(event.currentTarget.value));
          window.location.assign('/admin/');
        }}
      >
        {data.currentId === null ? <option value="">—</option> : null}
        {data.items.map((site) => (
          <option key={site.id} value={String(site.id)}>
            {site.name}（{site.domain}）
          </option>
        ))}
      </select>
    </label>
  );
}

// 12345 热线对接: the site's link to the city hotline — where its webhooks go, whether the link is
// on, the shared secret (made here and shown once), and what was sent, with failed ones in sight.
import { useState } from 'preact/hooks';
import { api } from './api';
import { useBusy, useLoad } from './hooks';
import { t, type MessageKey } from './i18n';
import { formatDateTime } from './time';
import type { HotlineDelivery, HotlineDeliveryStatus, HotlineSettings, Page } from './types';
import { AlertText, DataTable, Field, Loading, Pagination } from './ui';
import { useApp } from './context';

const DELIVERY_STATUSES: HotlineDeliveryStatus[] = ['pending', 'delivered', 'failed'];

function LinkForm({ settings, onSaved }: { settings: HotlineSettings; onSaved: (s: HotlineSettings) => void }) {
  const [url, setUrl] = useState(settings.url);
  const [enabled, setEnabled] = useState(settings.enabled);
  const { busy, error, run } = useBusy();
  const save = async (event: Event) => {
    event.preventDefault();
    const saved = await run(() => api.put<HotlineSettings>('/api/v1/hotline', { url: url.trim(), enabled }));
    if (saved) onSaved(saved);
  };
  return (
    <form onSubmit={(event) => void save(event)} aria-labelledby="hotline-link-title">
      <h3 id="hotline-link-title">{t('hotline.link')}</h3>
      <Field
        id="hotline-url"
        label={t('hotline.url')}
        value={url}
        onValue={setUrl}
        type="url"
        maxLength={2000}
        hint={t('hotline.urlHint')}
      />
      <div class="field checkbox">
        <input
          id="hotline-enabled"
          type="checkbox"
          checked={enabled}
          onChange={(event) => setEnabled(event.currentTarget.checked)}
        />
        <label for="hotline-enabled">{t('hotline.enabled')}</label>
      </div>
      <AlertText error={error} />
      <button type="submit" class="primary" id="hotline-save" disabled={busy}>
        {t('common.save')}
      </button>
    </form>
  );
}

function SecretPanel({ settings, onMade }: { settings: HotlineSettings; onMade: (s: HotlineSettings) => void }) {
  const { site } = useApp();
  const [secret, setSecret] = useState('');
  const { busy, error, run } = useBusy();
  const make = async () => {
    const made = await run(() => api.post<HotlineSettings & { secret: string }>('/api/v1/hotline/secret', {}));
    if (made) {
      setSecret(made.secret);
      onMade(made);
    }
  };
  return (
    <div aria-labelledby="hotline-secret-title">
      <h3 id="hotline-secret-title">{t('hotline.secret')}</h3>
      <p id="hotline-secret-state">
        {settings.hasSecret && settings.secretSetAt
          ? t('hotline.secretSet', { at: formatDateTime(settings.secretSetAt, site.timeZone) })
          : t('hotline.noSecret')}
      </p>
      {secret ? (
        <div class="notice" id="hotline-secret-shown">
          <p>{t('hotline.secretOnce')}</p>
          <p>
            <code id="hotline-secret-value">{secret}</code>
          </p>
        </div>
      ) : null}
      <p class="hint" id="hotline-secret-hint">
        {t('hotline.secretHint')}
      </p>
      <AlertText error={error} />
      <button
        type="button"
        id="hotline-secret-make"
        aria-describedby="hotline-secret-hint"
        disabled={busy}
        onClick={() => void make()}
      >
        {t(settings.hasSecret ? 'hotline.secretRenew' : 'hotline.secretMake')}
      </button>
    </div>
  );
}

function Deliveries() {
  const { site } = useApp();
  const [status, setStatus] = useState<HotlineDeliveryStatus | ''>('');
  const [page, setPage] = useState(1);
  const list = useLoad(
    () => api.get<Page<HotlineDelivery>>('/api/v1/hotline/deliveries', { status: status || undefined, page }),
    [status, page],
  );
  const when = (iso: string | null) => (iso ? formatDateTime(iso, site.timeZone) : '—');
  return (
    <div aria-labelledby="hotline-deliveries-title">
      <h3 id="hotline-deliveries-title">{t('hotline.deliveries')}</h3>
      <div class="field">
        <label for="hotline-delivery-status">{t('field.status')}</label>
        <select
          id="hotline-delivery-status"
          value={status}
          onChange={(event) => {
            setStatus(event.currentTarget.value as HotlineDeliveryStatus | '');
            setPage(1);
          }}
        >
          <option value="">{t('common.all')}</option>
          {DELIVERY_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`hotline.status.${s}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <Loading loading={list.loading} error={list.error} />
      {list.data && list.data.items.length === 0 ? <p class="empty">{t('hotline.noDeliveries')}</p> : null}
      {list.data && list.data.items.length > 0 ? (
        <>
          <DataTable
            caption={t('hotline.deliveries')}
            class="hotline-table"
            columns={[
              t('hotline.col.event'),
              t('hotline.col.letter'),
              t('field.status'),
              t('hotline.col.attempts'),
              t('hotline.col.last'),
              t('hotline.col.created'),
              t('hotline.col.next'),
            ]}
          >
            {list.data.items.map((d) => (
              <tr key={d.id} class={d.status === 'failed' ? 'late' : undefined}>
                <th scope="row">{t(`hotline.event.${d.type}` as MessageKey)}</th>
                <td>{d.queryCode}</td>
                <td>{t(`hotline.status.${d.status}` as MessageKey)}</td>
                <td>{d.attempts}</td>
                <td>
                  {d.lastStatus === null && !d.lastError
                    ? '—'
                    : [d.lastStatus === null ? '' : `HTTP ${d.lastStatus}`, d.lastError ?? '']
                        .filter(Boolean)
                        .join(t('common.listSeparator'))}
                </td>
                <td>{when(d.createdAt)}</td>
                <td>{d.status === 'delivered' ? when(d.deliveredAt) : when(d.nextAttemptAt)}</td>
              </tr>
            ))}
          </DataTable>
          <Pagination page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onPage={setPage} />
        </>
      ) : null}
    </div>
  );
}

/** The 12345 panel of 信箱设置: the link, its secret, and the webhooks sent. */
export function HotlineSection({ onMessage }: { onMessage: (text: string) => void }) {
  const loaded = useLoad(() => api.get<HotlineSettings>('/api/v1/hotline'), []);
  const [settings, setSettings] = useState<HotlineSettings | null>(null);
  const shown = settings ?? loaded.data;
  return (
    <section class="panel" aria-labelledby="hotline-title" id="hotline">
      <h2 id="hotline-title">{t('hotline.title')}</h2>
      <p class="hint">{t('hotline.about')}</p>
      <Loading loading={loaded.loading} error={loaded.error} />
      {shown ? (
        <>
          <p id="hotline-state">
            {t(shown.enabled ? 'hotline.on' : 'hotline.off')}{' '}
            {t('hotline.callback', { url: `${window.location.origin}${shown.callbackPath}` })}
          </p>
          <LinkForm
            settings={shown}
            onSaved={(saved) => {
              setSettings(saved);
              onMessage(t(saved.enabled ? 'hotline.savedOn' : 'hotline.savedOff'));
            }}
          />
          <SecretPanel
            settings={shown}
            onMade={(made) => {
              setSettings(made);
              onMessage(t('hotline.secretMade'));
            }}
          />
          <Deliveries />
        </>
      ) : null}
    </section>
  );
}

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { backOfficeInBrowser, type BackOfficeInBrowser } from '../helpers/app.js';
import { contextFor } from '../helpers/store.js';
import { axeViolations } from '../helpers/browser.js';
import { makeRoleAccounts, ROLE_ACCOUNTS, TEST_PASSWORD } from '../helpers/backoffice.js';
import { base32Decode, totpCode } from '../../src/services/index.js';

/** SECURITY.md's items that only a browser shows (V2 password fields, V8 browser storage). */
describe('ASVS checks in Chromium (SECURITY.md)', () => {
  let office: BackOfficeInBrowser;
  let page: Page;
  let base: string;

  before(async () => {
    office = await backOfficeInBrowser({ pages: false });
    ({ page, base } = office);
    await makeRoleAccounts(contextFor(office.store));
  });
  after(() => office?.close());

  /** Pastes text into a field as the browser does: a cancellable paste event, then the text if nobody cancelled it. */
  async function paste(selector: string, text: string): Promise<boolean> {
    const accepted = await page.locator(selector).evaluate((element, pasted) => {
      const data = new DataTransfer();
      data.setData('text/plain', pasted);
      const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
      return element.dispatchEvent(event);
    }, text);
    if (accepted) {
      await page.locator(selector).focus();
      await page.keyboard.insertText(text);
    }
    return accepted;
  }

  const attribute = (selector: string, name: string) => page.locator(selector).getAttribute(name);

  test('2.1.11: the password fields take a paste and name what a password manager should fill', async () => {
    await office.browser.context.clearCookies();
    await page.goto(`${base}/admin/`);
    await page.locator('#username').waitFor();
    assert.deepEqual(
      [await attribute('#username', 'autocomplete'), await attribute('#password', 'autocomplete')],
      ['username', 'current-password'],
    );
    await page.locator('#username').fill('editor');
    assert.equal(await paste('#password', TEST_PASSWORD), true, 'nothing cancels the paste');
    assert.equal(await page.locator('#password').inputValue(), TEST_PASSWORD);
    await page.locator('#login').click();
    await page.locator('#logout').waitFor();

    await page.goto(`${base}/admin/account`);
    await page.locator('#new-password').waitFor();
    const fields = ['#current-password', '#new-password', '#confirm-password'];
    assert.deepEqual(await Promise.all(fields.map((field) => attribute(field, 'autocomplete'))), [
      'current-password',
      'new-password',
      'new-password',
    ]);
    for (const field of fields) {
      assert.equal(await paste(field, 'Pasted-Pass-2026'), true, field);
      assert.equal(await page.locator(field).inputValue(), 'Pasted-Pass-2026', field);
      await page.locator(field).fill('');
    }
  });

  test('2.1.8 / 2.1.12: a new password shows its strength as it is typed, and every password field can be shown and hidden', async () => {
    await office.signIn('editor');
    await page.goto(`${base}/admin/account`);
    const strength = page.locator('#new-password-strength');
    await page.locator('#new-password').fill('Password123!');
    await strength.getByText('密码强度: 很弱：容易猜出').waitFor();
    assert.equal(await strength.locator('meter').getAttribute('value'), '1');
    await page.locator('#new-password').fill('Quiet-Harbour-Lantern-7');
    await strength.getByText('密码强度: 很强').waitFor();
    assert.equal(await strength.locator('meter').getAttribute('value'), '4');
    assert.equal(await attribute('#new-password', 'aria-describedby'), 'new-password-hint new-password-strength');

    const toggle = page.locator('#new-password-toggle');
    assert.deepEqual(
      [await attribute('#new-password', 'type'), await toggle.getAttribute('aria-pressed'), await toggle.textContent()],
      ['password', 'false', '显示'],
    );
    await toggle.click();
    assert.deepEqual(
      [await attribute('#new-password', 'type'), await toggle.getAttribute('aria-pressed'), await toggle.textContent()],
      ['text', 'true', '隐藏'],
    );
    await toggle.click();
    assert.equal(await attribute('#new-password', 'type'), 'password');
    // The current and confirming fields have the switch too, and no meter.
    assert.deepEqual(
      [
        await page.locator('#current-password-toggle').count(),
        await page.locator('#current-password-strength').count(),
      ],
      [1, 0],
    );
    assert.deepEqual(await axeViolations(page), [], 'axe-core on 账户安全 with the meter and switches');

    await office.browser.context.clearCookies();
    await page.goto(`${base}/admin/`);
    await page.locator('#password-toggle').click();
    assert.equal(await attribute('#password', 'type'), 'text', 'the sign-in form has the switch');
  });

  test('8.2.2: after sign-in, browser storage holds only the chosen site and language, no token or user data', async () => {
    await office.signIn('editor');
    await page.locator('.lang-toggle').click();
    await page.locator('.lang-toggle').click();
    // One function, no inner named ones: tsx would wrap those in a helper the page does not have.
    const storage = await page.evaluate(() =>
      [window.localStorage, window.sessionStorage].map((store) =>
        Object.fromEntries(Object.keys(store).map((key) => [key, store.getItem(key)])),
      ),
    );
    assert.deepEqual(storage, [{ 'gz-admin-lang': 'zh' }, {}]);
    // The session cookie is out of the page's reach.
    assert.equal(await page.evaluate(() => document.cookie), '');
  });
});

/** The second factor an administrative account must turn on (4.3.1), and the password asked again before a sensitive action (3.7.1). */
describe('second factor and re-authentication in the back office (Chromium)', () => {
  let office: BackOfficeInBrowser;
  let page: Page;
  let base: string;
  let now = new Date('2025-12-01T01:00:00Z');
  const advance = (minutes: number) => {
    now = new Date(now.getTime() + minutes * 60_000);
  };

  before(async () => {
    const clock = { now: () => now };
    // The default policy (required), not the suites' relaxed one.
    office = await backOfficeInBrowser({ pages: false, clock, context: { adminMfa: undefined } });
    ({ page, base } = office);
    await makeRoleAccounts(contextFor(office.store, clock));
  });
  after(() => office?.close());

  test('4.3.1 / 3.7.1 / 3.3.4: the security administrator enrols before anything else, confirms the password for a stale sensitive action, and ends another session', async () => {
    // Another browser of the same account, to be ended from the list later.
    const elsewhere = await office.app.inject({
      method: 'POST',
      url: '/api/v1/session',
      headers: { 'user-agent': 'Mozilla/5.0 (iPhone) Safari/604.1' },
      payload: { username: ROLE_ACCOUNTS.security, password: TEST_PASSWORD },
    });
    const elsewhereCookie = String(elsewhere.headers['set-cookie']).split(';')[0] ?? '';

    await office.signIn(ROLE_ACCOUNTS.security);
    await page.locator('#screen-title', { hasText: '请启用两步验证' }).waitFor();
    assert.equal(await page.locator('nav').count(), 0, 'no menu until the second factor is on');
    await page.locator('#totp-begin').click();
    const secret = (await page.locator('#totp-secret').textContent()) ?? '';
    await page.locator('#totp-code').fill(totpCode(base32Decode(secret), now));
    await page.locator('#totp-confirm').click();
    await page.locator('nav').waitFor();

    await page.goto(`${base}/admin/users`);
    await page.getByRole('button', { name: '停用 editor' }).waitFor();
    advance(16);
    await page.getByRole('button', { name: '停用 editor' }).click();
    await page.locator('#proof-title').waitFor();
    assert.deepEqual(await axeViolations(page), [], 'axe-core on the proof dialog');
    await page.locator('#proof-password').fill('Wrong-Password-1');
    await page.locator('#proof-submit').click();
    await page.locator('dialog [role="alert"]', { hasText: '当前密码错误' }).waitFor();
    await page.locator('#proof-password').fill(TEST_PASSWORD);
    await page.locator('#proof-submit').click();
    await page.getByText('已停用 editor').waitFor();
    assert.equal(await page.locator('#proof-title').isVisible(), false);

    await page.goto(`${base}/admin/account`);
    const rows = page.locator('table.sessions tbody tr');
    await rows.nth(1).waitFor();
    assert.deepEqual(await rows.locator('td:nth-child(4)').allTextContents(), [
      await page.evaluate(() => navigator.userAgent),
      'Mozilla/5.0 (iPhone) Safari/604.1',
    ]);
    await page.locator('#sessions-end-others').click();
    await page.getByText('已结束 1 个会话').waitFor();
    assert.equal(await rows.count(), 1);
    const gone = await office.app.inject({ url: '/api/v1/session', headers: { cookie: elsewhereCookie } });
    assert.equal(gone.statusCode, 401);

    // 2.2.3: the next sign-in tells what changed since this one.
    advance(1);
    await office.browser.context.clearCookies();
    await page.goto(`${base}/admin/`);
    await page.locator('#username').fill(ROLE_ACCOUNTS.security);
    await page.locator('#password').fill(TEST_PASSWORD);
    await page.locator('#login').click();
    await page.locator('#totp').fill(totpCode(base32Decode(secret), now));
    await page.locator('#login').click();
    await page.locator('#security-notices').waitFor();
    assert.deepEqual(await page.locator('#security-notices li').allTextContents(), [
      '2025-12-01 09:00 启用了两步验证（操作人 secadmin，IP 127.0.0.1）',
      '2025-12-01 09:16 其他登录会话被全部结束（操作人 secadmin，IP 127.0.0.1）',
    ]);
    assert.deepEqual(await axeViolations(page), [], 'axe-core with the security notice');
    await page.locator('#notices-dismiss').click();
    assert.equal(await page.locator('#security-notices').count(), 0);
  });
});

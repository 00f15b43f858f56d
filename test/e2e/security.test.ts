import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { backOfficeInBrowser, type BackOfficeInBrowser } from '../helpers/app.js';
import { contextFor } from '../helpers/store.js';
import { axeViolations } from '../helpers/browser.js';
import { makeRoleAccounts, TEST_PASSWORD } from '../helpers/backoffice.js';

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

// Every visible string goes through t(): Chinese by default, English on request, remembered per browser.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from './api';
import { commonMessages } from './messages-common';
import { articleMessages } from './messages-articles';
import { adminMessages } from './messages-admin';
import { healthMessages } from './health-messages';
import { wordingMessages } from './wording-messages';
import { letterMessages } from './messages-letters';
import { infoRequestMessages } from './messages-info-requests';
import { surveyMessages } from './messages-surveys';
import { consultationMessages } from './messages-consultations';
import { contentTypeMessages } from './messages-content-types';

export type Lang = 'zh' | 'en';
type Params = Record<string, string | number>;

const messages = {
  ...commonMessages,
  ...articleMessages,
  ...adminMessages,
  ...healthMessages,
  ...wordingMessages,
  ...letterMessages,
  ...infoRequestMessages,
  ...surveyMessages,
  ...consultationMessages,
  ...contentTypeMessages,
};
export type MessageKey = keyof typeof messages;

const STORAGE_KEY = 'gz-admin-lang';
const listeners = new Set<() => void>();

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh'; // storage may be blocked; Chinese is the default anyway
  }
}

let current: Lang = storedLang();

function applyToDocument(): void {
  document.documentElement.lang = current === 'en' ? 'en' : 'zh-CN';
}
applyToDocument();

export function getLang(): Lang {
  return current;
}

export function setLang(lang: Lang): void {
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // Not remembered, but the switch still works for this page.
  }
  applyToDocument();
  for (const listener of listeners) listener();
}

/** Re-renders the calling component when the language changes; the app root uses it once. */
export function useLang(): Lang {
  const [, setTick] = useState(0);
  useEffect(() => {
    const listener = () => setTick((n) => n + 1);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
  return current;
}

export function t(key: MessageKey, params: Params = {}): string {
  const pair = messages[key];
  const text: string = current === 'en' ? pair[1] : pair[0];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** The server's own words for an error, in the chosen language. */
export function errorText(error: unknown): string {
  if (error instanceof ApiError) return current === 'en' ? error.messageEn : error.message;
  return t('error.unexpected');
}

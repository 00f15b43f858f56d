// The 信息公开 screens' own words, [中文, English], with {named} slots: kept beside the screens so
// the shared message files stay untouched.
import { getLang } from './i18n';

export function translator<K extends string>(table: Readonly<Record<K, readonly [string, string]>>) {
  return (key: K, params: Record<string, string | number> = {}): string =>
    table[key][getLang() === 'en' ? 1 : 0].replace(/\{(\w+)\}/g, (whole, name: string) =>
      String(params[name] ?? whole),
    );
}

import { toLocal } from '../domain/index.js';
import type { FrontSite } from './protocol.js';

/**
 * The pages' `s-maxage` on a front: Gazette's min(3600, seconds to the site's midnight). nginx
 * has no arithmetic and runs in whatever time zone its machine has (`env TZ=UTC;` in the
 * configuration does not change it: nginx reads the zone before the configuration): the maps
 * below turn `$time_iso8601` (local time with its offset) into the UTC hour and minute by table
 * look-ups, then look the `s-maxage` up by the site's offsets and that UTC minute.
 */
const MINUTE = 60_000;
const DAY_MINUTES = 1440;
/** Gazette's CDN lifetime of a page: an hour, never past the site's midnight. */
export const MAX_SHARED_AGE = 3600;

/** A zone's offsets from UTC (minutes) over the year from `now`: one, or two for a zone with summer time. */
export function zoneOffsets(timeZone: string, now: Date): number[] {
  const found = new Set<number>();
  for (let day = 0; day <= 366; day++) {
    const instant = new Date(Math.floor(now.getTime() / 1000) * 1000 + day * DAY_MINUTES * MINUTE);
    const l = toLocal(instant, timeZone);
    found.add(
      Math.round((Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - instant.getTime()) / MINUTE),
    );
  }
  return [...found].sort((a, b) => a - b);
}

/** Every offset a zone may have: quarter hours from UTC−12 to UTC+14 (a site this configuration does not know). */
export const ANY_OFFSETS: readonly number[] = Array.from({ length: 105 }, (_, i) => -720 + i * 15);

const mod = (n: number, m: number): number => ((n % m) + m) % m;

/**
 * The `s-maxage` for a UTC minute of the day (0–1439) in a zone with these offsets: the seconds
 * to the site's midnight from the minute's last second (so never past midnight), at most 3600,
 * at least 1. With several offsets (summer time), the smallest.
 */
export function sharedMaxAgeAt(utcMinute: number, offsets: readonly number[]): number {
  let smallest = MAX_SHARED_AGE;
  for (const offset of offsets) {
    const local = mod(utcMinute + offset, DAY_MINUTES);
    smallest = Math.min(smallest, Math.max(1, DAY_MINUTES * 60 - local * 60 - 59));
  }
  return smallest;
}

const two = (n: number): string => String(n).padStart(2, '0');
const CARRY = { [-1]: 'n', 0: 'z', 1: 'p' } as const;

/** nginx's local clock to UTC: `$gz_utc_hour` and `$gz_utc_minute` (two digits each). */
function utcClockMaps(): string[] {
  const minutes: string[] = [];
  const carries: string[] = [];
  // Offsets with minutes (India +05:30, Nepal +05:45…): the UTC minute, and the hour it borrows or carries.
  for (const offsetMinutes of [15, 30, 45])
    for (const sign of ['+', '-'] as const)
      for (let local = 0; local < 60; local++) {
        const shifted = local + (sign === '+' ? -offsetMinutes : offsetMinutes);
        const key = `${two(local)}${sign}${two(offsetMinutes)}`;
        minutes.push(`    "${key}" ${two(mod(shifted, 60))};`);
        const carry = Math.floor(shifted / 60) as -1 | 0 | 1;
        if (carry !== 0) carries.push(`    "${key}" ${CARRY[carry]};`);
      }
  const hours: string[] = [];
  for (const sign of ['+', '-'] as const)
    for (let offsetHours = 0; offsetHours <= 14; offsetHours++)
      for (let local = 0; local < 24; local++)
        for (const carry of [-1, 0, 1] as const) {
          const utc = mod(local + (sign === '+' ? -offsetHours : offsetHours) + carry, 24);
          hours.push(`    "${two(local)}${sign}${two(offsetHours)}${CARRY[carry]}" ${two(utc)};`);
        }
  return [
    '  map $time_iso8601 $gz_local_minute {',
    '    default "";',
    '    "~:(?<gz_lm>\\d\\d):\\d\\d(?<gz_os>[+-])\\d\\d:(?<gz_om>\\d\\d)$" "$gz_lm$gz_os$gz_om";',
    '  }',
    '  map $gz_local_minute $gz_utc_minute {',
    '    default "";',
    '    "~^(?<gz_um>\\d\\d)[+-]00$" $gz_um;',
    ...minutes,
    '  }',
    '  map $gz_local_minute $gz_utc_carry {',
    '    default z;',
    ...carries,
    '  }',
    '  map $time_iso8601 $gz_local_hour {',
    '    default "";',
    '    "~T(?<gz_lh>\\d\\d):\\d\\d:\\d\\d(?<gz_oh>[+-]\\d\\d):\\d\\d$" "$gz_lh$gz_oh";',
    '  }',
    '  map "$gz_local_hour$gz_utc_carry" $gz_utc_hour {',
    '    default "";',
    ...hours,
    '  }',
  ];
}

const groupName = (offsets: readonly number[]): string => `z${offsets.join('_')}`;

/**
 * The maps that give `$gz_shared_max_age`. Only the minutes of a site's last hour differ from
 * 3600. A site this configuration does not know (pushed since) gets the smallest value of every
 * possible offset, never past its midnight whichever it is: that depends on the UTC minute
 * within the hour only, as every offset is a whole number of quarter hours.
 */
export function sharedMaxAgeMaps(sites: readonly FrontSite[], now: Date): string[] {
  const groups = new Map<string, readonly number[]>();
  const siteGroups: string[] = [];
  for (const site of [...sites].sort((a, b) => a.id - b.id)) {
    const offsets = zoneOffsets(site.timeZone, now);
    groups.set(groupName(offsets), offsets);
    siteGroups.push(`    ${site.id} ${groupName(offsets)};`);
  }
  const entries: string[] = [];
  for (const [name, offsets] of groups)
    for (let minute = 0; minute < DAY_MINUTES; minute++) {
      const age = sharedMaxAgeAt(minute, offsets);
      if (age < MAX_SHARED_AGE)
        entries.push(`    "${name} ${two(Math.floor(minute / 60))}:${two(minute % 60)}" ${age};`);
    }
  const anyZone = Array.from(
    { length: 60 },
    (_, minute) => `    ${two(minute)} ${sharedMaxAgeAt(minute, ANY_OFFSETS)};`,
  );
  return [
    '  # Pages: s-maxage = min(3600, seconds to the site’s midnight), by the minute (rounded down).',
    ...utcClockMaps(),
    '  map $gz_site $gz_zone {',
    '    default any;',
    ...siteGroups,
    '  }',
    '  map $gz_utc_minute $gz_any_shared_max_age {',
    '    default 1;',
    ...anyZone,
    '  }',
    '  map "$gz_zone $gz_utc_hour:$gz_utc_minute" $gz_shared_max_age {',
    `    default ${MAX_SHARED_AGE};`,
    '    "~^any " $gz_any_shared_max_age;',
    ...entries,
    '  }',
  ];
}

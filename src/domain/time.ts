/**
 * Calendar arithmetic in a site's time zone, on instants given as Date. No clock is read here:
 * callers pass the instant from the injected clock.
 */
const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

const WEEKDAY_INDEX: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function viaIntl(instant: Date, timeZone: string): LocalDateTime {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAY_INDEX[parts.weekday ?? ''] ?? 0,
  };
}

/**
 * A zone's offset from UTC for each quarter hour asked about: zones change offset only on a
 * quarter-hour boundary, and Intl costs tens of microseconds a call — a sitemap part formats
 * thousands of times.
 */
const QUARTER_HOUR = 15 * 60_000;
const DAY = 96 * QUARTER_HOUR;
/** Per zone: the offset of each quarter hour asked about, and of each whole day known to keep one offset. */
const offsets = new Map<string, { quarters: Map<number, number>; days: Map<number, number> }>();

function quarterOffset(bucket: number, timeZone: string): number {
  const start = new Date(bucket * QUARTER_HOUR);
  const l = viaIntl(start, timeZone);
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second) - start.getTime();
}

function offsetOf(instant: Date, timeZone: string): number {
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = { quarters: new Map(), days: new Map() }));
  const time = instant.getTime();
  // A UTC day whose first and last quarter hours have the same offset keeps it all day: zones
  // change offset at most once a day, and never change it back the same day.
  const day = Math.floor(time / DAY);
  const daily = zone.days.get(day);
  if (daily !== undefined) return daily;
  const first = quarterOffset(day * 96, timeZone);
  if (first === quarterOffset(day * 96 + 95, timeZone)) {
    if (zone.days.size > 100_000) zone.days.clear();
    zone.days.set(day, first);
    return first;
  }
  const bucket = Math.floor(time / QUARTER_HOUR);
  let offset = zone.quarters.get(bucket);
  if (offset === undefined) {
    offset = quarterOffset(bucket, timeZone);
    if (zone.quarters.size > 100_000) zone.quarters.clear();
    zone.quarters.set(bucket, offset);
  }
  return offset;
}

export function toLocal(instant: Date, timeZone: string): LocalDateTime {
  const wall = new Date(Math.floor(instant.getTime() / 1000) * 1000 + offsetOf(instant, timeZone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
    weekday: wall.getUTCDay(),
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** The instant at which the wall clock in `timeZone` shows the given time; null if no such time. */
export function fromLocal(local: Omit<LocalDateTime, 'weekday'>, timeZone: string): Date | null {
  const { year, month, day, hour, minute, second } = local;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(asUtc);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  // Guess with the zone's offset at that moment, then correct once for an offset change.
  let guess = asUtc - offsetAt(new Date(asUtc), timeZone);
  guess = asUtc - offsetAt(new Date(guess), timeZone);
  return new Date(guess);
}

function offsetAt(instant: Date, timeZone: string): number {
  const l = toLocal(instant, timeZone);
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/** `今天是2025年12月01日 星期一`: the date bar of every page. */
export function dateBarText(instant: Date, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  return `今天是${l.year}年${pad(l.month)}月${pad(l.day)}日 ${WEEKDAYS[l.weekday]}`;
}

/** `2021-05-20 22:19`, as government pages print 发布时间. */
export function formatDateTime(instant: Date, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  return `${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}`;
}

/** `2021-05-20`. */
export function formatDate(instant: Date, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  return `${l.year}-${pad(l.month)}-${pad(l.day)}`;
}

/** ISO 8601 with the zone's offset, e.g. `2021-05-20T22:19:00+08:00`, for PubDate meta and feeds. */
/** A calendar day `2025-03-01` as documents print it: `2025年3月1日`. */
export function formatChineseDay(day: string): string {
  const [y, m, d] = day.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

export function formatIsoLocal(instant: Date, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  const offsetMinutes = Math.round(offsetAt(instant, timeZone) / 60000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${l.year}-${pad(l.month)}-${pad(l.day)}T${pad(l.hour)}:${pad(l.minute)}:${pad(l.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

const DATE_TIME_PATTERNS: readonly RegExp[] = [
  // 2021-05-20 22:19[:05], 2021/5/20 22:19, 2021.05.20
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]+(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?)?$/,
  // 2021年5月20日 22:19, 2021年05月20日 22时19分
  /^(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:(\d{1,2})[:：时](\d{2})分?(?:[:：](\d{2})秒?)?)?$/,
];

/** Reads a publish time as printed on a page, in the site's zone. Null when unreadable or impossible. */
export function parseLocalDateTime(text: string, timeZone: string): Date | null {
  const value = text.trim();
  for (const pattern of DATE_TIME_PATTERNS) {
    const m = pattern.exec(value);
    if (!m) continue;
    return fromLocal(
      {
        year: Number(m[1]),
        month: Number(m[2]),
        day: Number(m[3]),
        hour: Number(m[4] ?? 0),
        minute: Number(m[5] ?? 0),
        second: Number(m[6] ?? 0),
      },
      timeZone,
    );
  }
  return null;
}

/** Midnight of a local date (`2025-12-01`) in the zone, `plusDays` later; null if it is not such a date. */
export function localDayStart(date: string, timeZone: string, plusDays = 0): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const start = parseLocalDateTime(date, timeZone);
  return start && new Date(start.getTime() + plusDays * 86_400_000);
}

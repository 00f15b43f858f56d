// "Never leave the source's host": the one test of whether a URL is on it.

/** The URL, absolute and normalised, when its scheme, host and port are the origin's; else null. */
export function ownUrl(url: string, origin: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  // www.x.gov.cn and x.gov.cn may well be one site, but nothing here can know that: a different
  // host is a different site, and the operator starts from the one they mean.
  return parsed.origin === origin ? parsed.href : null;
}

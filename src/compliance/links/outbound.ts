import dns from 'node:dns';
import net, { type LookupFunction } from 'node:net';
import { domainToASCII } from 'node:url';
import ipaddr from 'ipaddr.js';
import { GazetteError, isGazetteError, type Lang } from '../../domain/index.js';

// The guard of the external link check (ASVS 5.2.6 / 12.6.1): links come from articles, so
// anyone who can publish could otherwise make the server reach its own loopback services, the
// intranet or the cloud metadata address (169.254.169.254) and learn from the verdicts.

type Words = Readonly<Record<Lang, string>>;
type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = readonly [Address, number];

/** How a host name becomes addresses; rejects when there is none, as `dns.lookup` does. */
export type Resolver = (hostname: string) => Promise<readonly dns.LookupAddress[]>;

const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true });

/** ipaddr.js's names of the ranges that are not the public internet. Others get their ipaddr.js name. */
const RANGE_WORDS: Readonly<Record<string, Words>> = {
  loopback: { zh: '回环地址', en: 'a loopback address' },
  private: { zh: '内网地址', en: 'a private address' },
  linkLocal: { zh: '链路本地地址', en: 'a link-local address' },
  uniqueLocal: { zh: 'IPv6 内网地址', en: 'a unique-local address' },
  unspecified: { zh: '未指定地址', en: 'an unspecified address' },
  carrierGradeNat: { zh: '运营商级 NAT 地址', en: 'a carrier-grade NAT address' },
  multicast: { zh: '组播地址', en: 'a multicast address' },
  broadcast: { zh: '广播地址', en: 'a broadcast address' },
  reserved: { zh: '保留地址', en: 'a reserved address' },
};

function rangeWords(range: string): Words {
  return RANGE_WORDS[range] ?? { zh: `特殊用途地址（${range}）`, en: `a special-purpose address (${range})` };
}

/** 64:ff9b::/96, the well-known NAT64 prefix: the IPv4 address in its last 32 bits is the one reached. */
const NAT64: Range = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

/** The special range an address is in, or null when it is an ordinary public (unicast) address. */
function specialRange(address: Address): string | null {
  const range = address.range();
  if (range === 'unicast') return null;
  if (address.kind() === 'ipv6' && address.match(...NAT64)) {
    return specialRange(ipaddr.fromByteArray(address.toByteArray().slice(12)));
  }
  return range;
}

const LABELS = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** A host name as URLs carry it: lower case, punycode, no trailing dot; '' when it is not a host name. */
function hostName(entry: string): string {
  const text = entry.trim().replace(/\.$/, '');
  // Checked before domainToASCII, which reads '10.0.0/8' as the address 10.0.0.0.
  if (!/^[\p{L}\p{N}.-]+$/u.test(text)) return '';
  const ascii = domainToASCII(text);
  return LABELS.test(ascii) && net.isIP(ascii) === 0 ? ascii : '';
}

function parseRange(entry: string): Range | null {
  const text = entry.trim();
  if (net.isIP(text) !== 0) {
    const address = ipaddr.process(text);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  }
  const [base = '', bits = ''] = text.split('/');
  if (net.isIP(base) === 0 || !/^\d{1,3}$/.test(bits) || !ipaddr.isValidCIDR(text)) return null;
  return ipaddr.parseCIDR(text);
}

function refused(host: string, why: Words): GazetteError {
  return new GazetteError('LINK_TARGET_REFUSED', { host, why });
}

/** The reason a refusal gives (for a link's verdict), or null when the error is something else. */
export function refusalReason(error: unknown): string | null {
  if (!isGazetteError(error) || error.code !== 'LINK_TARGET_REFUSED') return null;
  const why = error.params.why;
  return typeof why === 'object' ? why.en : String(why);
}

/**
 * Which addresses the link check may connect to: public ones, and the non-public ones the
 * operator vouches for (an intranet site linked from the portal) by range, address or host name.
 */
export class OutboundGuard {
  private readonly hosts = new Set<string>();
  private readonly ranges: Range[] = [];

  constructor(
    allowPrivate: readonly string[],
    private readonly resolve: Resolver = systemResolver,
  ) {
    for (const entry of allowPrivate) {
      const range = parseRange(entry);
      const host = range ? '' : hostName(entry);
      if (range) this.ranges.push(range);
      else if (host) this.hosts.add(host);
      else throw new GazetteError('LINK_ALLOW_INVALID', { entry });
    }
  }

  /**
   * Refuses a URL whose host is an address that may not be reached (throws LINK_TARGET_REFUSED).
   * Needed because node:net connects to an address literal without calling `lookup`.
   */
  checkLiteral(url: URL): void {
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (net.isIP(host) !== 0) this.check(host, host, true);
  }

  /**
   * node:net's `lookup`: the addresses the socket then connects to are the ones checked here, so a
   * name cannot pass the check with one address and connect to another (DNS rebinding). A name
   * with any refused address is refused whole: the socket could otherwise fall back to it.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname)
      .then((addresses) => this.vet(hostname, addresses))
      .then(
        (addresses) =>
          options.all ? callback(null, addresses) : callback(null, addresses[0].address, addresses[0].family),
        (error: Error) => callback(error, ''),
      );
  };

  /** A name's addresses, when every one of them may be reached (else throws LINK_TARGET_REFUSED). */
  private vet(host: string, addresses: readonly dns.LookupAddress[]): [dns.LookupAddress, ...dns.LookupAddress[]] {
    const [first, ...rest] = addresses;
    if (!first) throw refused(host, { zh: `${host} 没有地址`, en: `${host} has no address` });
    for (const { address } of addresses) this.check(host, address, false);
    return [first, ...rest];
  }

  private allowed(host: string, address: Address): boolean {
    if (this.hosts.has(hostName(host))) return true;
    return this.ranges.some(([base, bits]) => address.kind() === base.kind() && address.match(base, bits));
  }

  /** Throws LINK_TARGET_REFUSED unless the address is public or allowed. */
  private check(host: string, text: string, literal: boolean): void {
    const address = ipaddr.process(text);
    const range = specialRange(address);
    if (range === null || this.allowed(host, address)) return;
    const shown = address.toString();
    const words = rangeWords(range);
    throw refused(
      host,
      literal
        ? { zh: `${shown} 是${words.zh}`, en: `${shown} is ${words.en}` }
        : { zh: `${host} 解析为 ${shown}（${words.zh}）`, en: `${host} resolves to ${shown}, ${words.en}` },
    );
  }
}

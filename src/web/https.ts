import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyAddr from '@fastify/proxy-addr';

/**
 * Whether a request came over HTTPS, as Fastify's `request.protocol` decides it (for the fast
 * path, which answers before Fastify sees the request): the socket is TLS, or a trusted proxy
 * says so in the last X-Forwarded-Proto entry (the one the nearest proxy added).
 */
export function httpsCheck(trustProxy: string | null | undefined): (request: IncomingMessage) => boolean {
  const trusted = trustProxy ? proxyAddr.compile(trustProxy.split(',').map((entry) => entry.trim())) : null;
  return (request) => {
    if ((request.socket as Partial<TLSSocket>).encrypted === true) return true;
    const proto = request.headers['x-forwarded-proto'];
    if (!trusted || typeof proto !== 'string' || proto === '') return false;
    if (!trusted(request.socket.remoteAddress ?? '', 0)) return false;
    return proto.slice(proto.lastIndexOf(',') + 1).trim() === 'https';
  };
}

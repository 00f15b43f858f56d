// A throwaway HTTP server on 127.0.0.1 for one test, closed (keep-alive connections too) after it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'node:test';

export type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

/** Starts a server answering with `handler`; resolves to its origin, e.g. http://127.0.0.1:41234. */
export async function serve(t: TestContext, handler: Handler): Promise<string> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A sleep that waits for nothing and remembers what it was asked to wait. */
export function recordingSleep(): { readonly waits: number[]; readonly sleep: (ms: number) => Promise<void> } {
  const waits: number[] = [];
  return {
    waits,
    sleep: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  };
}

// The virus check every upload passes before anything is decoded or written (ASVS 12.4.2): a
// built-in check that always runs, and a ClamAV daemon when one is configured (GAZETTE_CLAMD).
import net from 'node:net';
import { GazetteError, type Lang } from '../../domain/index.js';

export type ScanVerdict = { readonly infected: false } | { readonly infected: true; readonly signature: string };

/** One engine uploads are checked with. */
export interface VirusScanner {
  /** Names the engine in the audit log. */
  readonly name: string;
  /** Names the engine in messages. */
  readonly label: Readonly<Record<Lang, string>>;
  /** Resolves with the verdict; throws MEDIA_SCAN_UNAVAILABLE when it cannot give one. */
  scan(data: Buffer): Promise<ScanVerdict>;
}

/** A clamd listening on TCP (`tcp://host:port`) or on a unix socket (a path). */
export type ClamdAddress = { readonly host: string; readonly port: number } | { readonly path: string };

const CLEAN: ScanVerdict = { infected: false };

/** The anti-malware test file (eicar.org), which every engine must report: proves the scan is wired in. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';

/**
 * Magic bytes at the start of a file that no accepted type begins with. Executables are refused
 * whatever they are named: a renamed .exe sits on a government site as a download otherwise.
 */
const BUILT_IN_SIGNATURES: readonly { readonly prefix: Buffer; readonly signature: string }[] = [
  // The name ClamAV gives it, so the audit log reads the same whichever engine caught it.
  { prefix: Buffer.from(EICAR, 'latin1'), signature: 'Eicar-Test-Signature' },
  { prefix: Buffer.from('MZ', 'latin1'), signature: 'Executable.Windows.MZ' },
  { prefix: Buffer.from([0x7f, 0x45, 0x4c, 0x46]), signature: 'Executable.Linux.ELF' },
];

/**
 * Always runs, with no signature database to keep up to date: refuses the EICAR test file (at the
 * start of the file, whatever follows it, as engines find it) and Windows (MZ) and Linux (ELF)
 * executables. It is no antivirus: real malware needs clamd (GAZETTE_CLAMD).
 */
export const builtInScanner: VirusScanner = {
  name: 'built-in',
  label: { zh: '内置检查', en: 'built-in check' },
  scan(data) {
    const found = BUILT_IN_SIGNATURES.find(({ prefix }) => data.subarray(0, prefix.length).equals(prefix));
    return Promise.resolve(found ? { infected: true, signature: found.signature } : CLEAN);
  },
};

const CLAMD_LABEL = { zh: 'ClamAV', en: 'ClamAV' } as const;
/** Bytes per INSTREAM chunk (clamdscan sends chunks of this order; clamd caps the whole stream, not a chunk). */
const CHUNK_BYTES = 64 * 1024;
/** An answer is one short line: a longer one is cut here rather than buffered without end. */
const MAX_ANSWER_BYTES = 4096;

function unavailable(reason: string): GazetteError {
  return new GazetteError('MEDIA_SCAN_UNAVAILABLE', { scanner: CLAMD_LABEL, reason });
}

/** `zINSTREAM\0`, then the bytes in chunks each led by its length (4 bytes, big-endian), then a zero length. */
function instreamFrames(data: Buffer): Buffer[] {
  const frames: Buffer[] = [Buffer.from('zINSTREAM\0', 'latin1')];
  for (let at = 0; at < data.length; at += CHUNK_BYTES) {
    const chunk = data.subarray(at, at + CHUNK_BYTES);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(chunk.length);
    frames.push(length, chunk);
  }
  frames.push(Buffer.alloc(4));
  return frames;
}

/** Sends the bytes to clamd and resolves with its one-line answer (up to the NUL that ends it). */
function instream(address: ClamdAddress, data: Buffer, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(address);
    const answer: Buffer[] = [];
    let settled = false;
    const text = () => Buffer.concat(answer).toString('utf8').split('\0')[0]?.trim() ?? '';
    const settle = (failure?: string) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (failure === undefined) resolve(text());
      else reject(unavailable(failure));
    };
    socket.setTimeout(timeoutMs, () => settle(`no answer within ${timeoutMs / 1000} s`));
    socket.on('connect', () => {
      for (const frame of instreamFrames(data)) socket.write(frame);
    });
    socket.on('data', (chunk: Buffer) => {
      answer.push(chunk);
      if (chunk.includes(0) || Buffer.concat(answer).length > MAX_ANSWER_BYTES) settle();
    });
    // clamd may answer and hang up while the rest is still being sent (a stream over its limit).
    socket.on('end', () => settle(answer.length > 0 ? undefined : 'it closed the connection without an answer'));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      settle(answer.length > 0 ? undefined : (error.code ?? 'error')),
    );
  });
}

/** `stream: OK` or `stream: NAME FOUND`; anything else (an ERROR line) is no verdict. */
function clamdVerdict(answer: string): ScanVerdict {
  if (answer === 'stream: OK') return CLEAN;
  const found = /^stream: (.+) FOUND$/.exec(answer);
  if (found?.[1]) return { infected: true, signature: found[1] };
  throw unavailable(`clamd answered "${answer.slice(0, 200)}"`);
}

/**
 * A ClamAV daemon spoken to with INSTREAM. It fails closed: unreachable, silent past the timeout,
 * or answering an error (a file over its StreamMaxLength), it refuses the upload with
 * MEDIA_SCAN_UNAVAILABLE rather than let a file through unscanned.
 */
export function clamdScanner(address: ClamdAddress, options: { readonly timeoutMs?: number } = {}): VirusScanner {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    name: 'clamd',
    label: CLAMD_LABEL,
    scan: async (data) => clamdVerdict(await instream(address, data, timeoutMs)),
  };
}

/**
 * The built-in check, then the configured scanner: the first that finds something refuses the
 * file with MEDIA_INFECTED (after `onInfected`, e.g. an audit entry); a scanner that cannot
 * answer throws MEDIA_SCAN_UNAVAILABLE, so nothing unscanned gets through.
 */
export async function requireVirusFree(
  configured: VirusScanner | undefined,
  data: Buffer,
  onInfected?: (scanner: VirusScanner, signature: string) => Promise<unknown>,
): Promise<void> {
  for (const scanner of configured ? [builtInScanner, configured] : [builtInScanner]) {
    const verdict = await scanner.scan(data);
    if (!verdict.infected) continue;
    await onInfected?.(scanner, verdict.signature);
    throw new GazetteError('MEDIA_INFECTED', { scanner: scanner.label, signature: verdict.signature });
  }
}

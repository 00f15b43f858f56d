import zlib from 'node:zlib';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A PNG chunk: its length, type, data and the CRC-32 of type and data. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A decompression bomb's shape: a valid PNG of a hundred bytes whose IHDR declares width×height
 * 8-bit RGB pixels (50000×50000 would decode to 7.5 GB), with a tiny IDAT.
 */
export function pngDeclaring(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(Buffer.alloc(64))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A GIF of a few dozen bytes with `frames` frames each declaring width×height pixels. */
export function gifDeclaring(width: number, height: number, frames: number): Buffer {
  const screen = Buffer.alloc(13);
  screen.write('GIF89a', 0, 'latin1');
  screen.writeUInt16LE(width, 6);
  screen.writeUInt16LE(height, 8);
  screen[10] = 0x80; // a global colour table of two colours
  const parts = [screen, Buffer.from([0, 0, 0, 255, 255, 255])];
  for (let i = 0; i < frames; i++) {
    const descriptor = Buffer.alloc(10);
    descriptor[0] = 0x2c;
    descriptor.writeUInt16LE(width, 5);
    descriptor.writeUInt16LE(height, 7);
    // LZW minimum code size 2, one sub-block of one byte (clear, end), the block terminator.
    parts.push(descriptor, Buffer.from([2, 1, 0x44, 0]));
  }
  parts.push(Buffer.from([0x3b]));
  return Buffer.concat(parts);
}

/** A PDF of exactly `bytes` bytes (a comment pads it), different for each `label`. */
export function pdfOfSize(bytes: number, label: string): Buffer {
  const head = `%PDF-1.4\n% ${label}\n%`;
  const tail = '\n%%EOF\n';
  const padding = bytes - Buffer.byteLength(head) - Buffer.byteLength(tail);
  if (padding < 0) throw new RangeError(`a PDF cannot be as small as ${bytes} bytes`);
  return Buffer.concat([Buffer.from(head), Buffer.alloc(padding, 0x20), Buffer.from(tail)]);
}

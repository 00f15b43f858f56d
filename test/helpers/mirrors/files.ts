import zlib from 'node:zlib';
import { PNG_SIGNATURE, pdfOfSize, pngChunk } from '../uploads.js';

// Small but real files for the mirrors' attachments and images: each is what its extension says
// when sniffed like an upload (PNG, OLE2 compound file, ZIP with OFD.xml, PDF).

/** A decodable width×height RGB PNG: a gradient whose colour `seed` varies, so each image's bytes differ. */
export function smallPng(width: number, height: number, seed: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3); // filter byte 0: none
    for (let x = 0; x < width; x++) {
      row[1 + x * 3] = (x * 16 + seed * 37) & 0xff;
      row[2 + x * 3] = (y * 16 + seed * 11) & 0xff;
      row[3 + x * 3] = (seed * 53) & 0xff;
    }
    rows.push(row);
  }
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const SECTOR = 512;
const FREE = 0xffffffff;
const END_OF_CHAIN = 0xfffffffe;
const FAT_SECTOR = 0xfffffffd;
const NO_STREAM = 0xffffffff;
/** Word 97's class id, 00020906-0000-0000-C000-000000000046, as stored (first three fields little-endian). */
const WORD_CLSID = Buffer.from('0609020000000000c000000000000046', 'hex');

function directoryEntry(name: string, type: number, child: number, clsid: Buffer | null, start: number, size: number) {
  const entry = Buffer.alloc(128);
  entry.write(`${name}\0`, 0, 'utf16le');
  entry.writeUInt16LE((name.length + 1) * 2, 64);
  entry[66] = type;
  entry[67] = 1; // black
  entry.writeUInt32LE(NO_STREAM, 68);
  entry.writeUInt32LE(NO_STREAM, 72);
  entry.writeUInt32LE(child, 76);
  clsid?.copy(entry, 80);
  entry.writeUInt32LE(start, 116);
  entry.writeUInt32LE(size, 120);
  return entry;
}

function unusedDirectoryEntry(): Buffer {
  const entry = Buffer.alloc(128);
  entry.writeUInt32LE(NO_STREAM, 68);
  entry.writeUInt32LE(NO_STREAM, 72);
  entry.writeUInt32LE(NO_STREAM, 76);
  return entry;
}

/**
 * A Word 97 `.doc` as an OLE2 compound file (version 3, 512-byte sectors): sector 0 the FAT,
 * sector 1 the directory (Root Entry and a WordDocument stream), sectors 2–9 the 4 KiB
 * WordDocument stream starting with the FIB's magic 0xA5EC. Its text is not readable as Word,
 * but every structure a sniffer or a CFB reader checks is in place.
 */
export function minimalDoc(seed: number): Buffer {
  const streamSectors = 8;
  const header = Buffer.alloc(SECTOR);
  Buffer.from('d0cf11e0a1b11ae1', 'hex').copy(header, 0);
  header.writeUInt16LE(0x003e, 24); // minor version
  header.writeUInt16LE(0x0003, 26); // major version 3
  header.writeUInt16LE(0xfffe, 28); // little-endian
  header.writeUInt16LE(9, 30); // sectors of 2^9
  header.writeUInt16LE(6, 32); // mini sectors of 2^6
  header.writeUInt32LE(1, 44); // one FAT sector
  header.writeUInt32LE(1, 48); // the directory starts at sector 1
  header.writeUInt32LE(0x1000, 56); // mini stream cutoff
  header.writeUInt32LE(END_OF_CHAIN, 60); // no mini FAT
  header.writeUInt32LE(END_OF_CHAIN, 68); // no DIFAT sectors
  header.writeUInt32LE(0, 76); // DIFAT[0]: the FAT is sector 0
  for (let i = 1; i < 109; i++) header.writeUInt32LE(FREE, 76 + i * 4);

  const fat = Buffer.alloc(SECTOR, 0xff);
  fat.writeUInt32LE(FAT_SECTOR, 0);
  fat.writeUInt32LE(END_OF_CHAIN, 4);
  for (let s = 2; s < 2 + streamSectors; s++) fat.writeUInt32LE(s === 1 + streamSectors ? END_OF_CHAIN : s + 1, s * 4);

  const directory = Buffer.concat([
    directoryEntry('Root Entry', 5, 1, WORD_CLSID, END_OF_CHAIN, 0),
    directoryEntry('WordDocument', 2, NO_STREAM, null, 2, streamSectors * SECTOR),
    unusedDirectoryEntry(),
    unusedDirectoryEntry(),
  ]);

  const stream = Buffer.alloc(streamSectors * SECTOR);
  stream.writeUInt16LE(0xa5ec, 0); // wIdent
  stream.writeUInt16LE(0x00c1, 2); // nFib: Word 97
  stream.writeUInt32LE(seed, 16); // makes each file's bytes its own
  return Buffer.concat([header, fat, directory, stream]);
}

/** A ZIP archive of deflated entries (UTF-8 names, no extra fields): enough for OFD packages. */
export function zipOf(entries: readonly { readonly name: string; readonly data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const packed = zlib.deflateRawSync(entry.data);
    const crc = zlib.crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(0x4a00, 10); // 09:16
    local.writeUInt16LE(0x52b4, 12); // 2021-05-20
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // made by
    local.copy(central, 6, 4, 30); // version needed … name length: the same fields
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** An OFD package (GB/T 33190): OFD.xml at its root naming one document. */
export function minimalOfd(title: string): Buffer {
  const ofd = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016" Version="1.0" DocType="OFD">',
    `<ofd:DocBody><ofd:DocInfo><ofd:DocID>${zlib.crc32(title).toString(16)}</ofd:DocID><ofd:Title>${title}</ofd:Title>`,
    '<ofd:CreationDate>2021-05-17</ofd:CreationDate></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody>',
    '</ofd:OFD>',
  ].join('\n');
  const document = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ofd:Document xmlns:ofd="http://www.ofdspec.org/2016"><ofd:CommonData><ofd:MaxUnitID>1</ofd:MaxUnitID>',
    '<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>',
    '<ofd:Pages/></ofd:Document>',
  ].join('\n');
  return zipOf([
    { name: 'OFD.xml', data: Buffer.from(ofd) },
    { name: 'Doc_0/Document.xml', data: Buffer.from(document) },
  ]);
}

/** A small PDF (a header, a padding comment, %%EOF), its bytes its own by `label`. */
export function smallPdf(label: string): Buffer {
  return pdfOfSize(1024, label);
}

// Reads the central directory of a ZIP package (OFD, DOCX) without expanding anything. Every
// count and size in an upload is the sender's claim: each is checked against the bytes actually
// received, and the walk reads at most MAX_ENTRIES records, all inside the directory's own bytes.

const END = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END = 0x06064b50;
const ENTRY = 0x02014b50;
const END_SIZE = 22;
const ENTRY_SIZE = 46;
/** The end record may be followed by a comment of up to 64 KiB: the only stretch searched. */
const MAX_COMMENT = 0xffff;
/**
 * The most records read. 65,535 is all a ZIP without the ZIP64 extension can declare; a ZIP64
 * end record may claim 2^64, which is only believed up to here (OFD.xml sits at the root, among
 * the first records of any real package).
 */
export const MAX_ZIP_ENTRIES = 65_535;

interface Directory {
  readonly offset: number;
  readonly size: number;
  readonly entries: number;
}

/** A 64-bit field as a number, or Infinity when it cannot be an offset into a Buffer. */
function uint64(data: Buffer, at: number): number {
  const value = data.readBigUInt64LE(at);
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(value);
}

/** The ZIP64 end record the locator before `endAt` points to, when there is one inside the data. */
function zip64Directory(data: Buffer, endAt: number): Directory | null {
  const locatorAt = endAt - 20;
  if (locatorAt < 0 || data.readUInt32LE(locatorAt) !== ZIP64_LOCATOR) return null;
  const recordAt = uint64(data, locatorAt + 8);
  if (recordAt + 56 > locatorAt || data.readUInt32LE(recordAt) !== ZIP64_END) return null;
  return {
    entries: uint64(data, recordAt + 32),
    size: uint64(data, recordAt + 40),
    offset: uint64(data, recordAt + 48),
  };
}

/** Where the central directory is, from the end record (searched for in the last 64 KiB only). */
function centralDirectory(data: Buffer): Directory | null {
  if (data.length < END_SIZE) return null;
  const from = Math.max(0, data.length - END_SIZE - MAX_COMMENT);
  const signature = Buffer.alloc(4);
  signature.writeUInt32LE(END);
  const found = data.subarray(from, data.length - END_SIZE + 4).lastIndexOf(signature);
  if (found < 0) return null;
  const endAt = from + found;
  const plain = {
    entries: data.readUInt16LE(endAt + 10),
    size: data.readUInt32LE(endAt + 12),
    offset: data.readUInt32LE(endAt + 16),
  };
  // All-ones fields mean "see the ZIP64 record"; without one they are taken as they stand.
  const saturated = plain.entries === 0xffff || plain.size === 0xffffffff || plain.offset === 0xffffffff;
  return (saturated && zip64Directory(data, endAt)) || plain;
}

/** True when the ZIP's central directory names this entry (`OFD.xml`: at the package's root). */
export function zipHasEntry(data: Buffer, name: string): boolean {
  const directory = centralDirectory(data);
  if (!directory || directory.offset + directory.size > data.length) return false;
  const needle = Buffer.from(name);
  const end = directory.offset + directory.size;
  const count = Math.min(directory.entries, MAX_ZIP_ENTRIES);
  let at = directory.offset;
  for (let read = 0; read < count && at + ENTRY_SIZE <= end; read++) {
    if (data.readUInt32LE(at) !== ENTRY) return false;
    const nameEnd = at + ENTRY_SIZE + data.readUInt16LE(at + 28);
    if (nameEnd <= end && data.subarray(at + ENTRY_SIZE, nameEnd).equals(needle)) return true;
    at = nameEnd + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
  }
  return false;
}

import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import yazl from 'yazl';
import { NotebookError } from '../errors/index.js';

/**
 * The DOS time fields a zip stores are local time (yazl reads a Date's local fields). A Date built from the UTC fields
 * of `iso` as if they were local gives the same stored fields in every time zone, so the bytes do not depend on TZ.
 */
function zoneFreeDate(iso: string): Date {
  const t = new Date(iso);
  const d = Number.isNaN(t.getTime()) ? new Date(Date.UTC(1980, 0, 1)) : t;
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds());
}

/**
 * The bytes of a zip holding `files` (bundle-relative names, written in sorted order) under one fixed time `mtime`
 * (the run's end time, ISO): no clock, no extended timestamps, the same modes, so two zips of one bundle are equal.
 *
 * @example
 * const bytes = await zipBundle('/tmp/b', ['ro-crate-metadata.json', 'a.ipynb'], '2026-01-01T00:00:00Z');
 */
export async function zipBundle(dir: string, files: readonly string[], mtime: string): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const when = zoneFreeDate(mtime);
  for (const name of [...files].sort())
    zip.addBuffer(readFileSync(join(dir, name)), name, { mtime: when, mode: 0o100644, forceDosTimestamp: true, compress: true });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Unpacks a zip into `dir`: every file found in the central directory, stored or deflated (what yazl, Info-ZIP and the
 * desktop archivers write). Why not a library: yazl only writes, and this reads a reviewer's bundle in 50 lines;
 * names that are absolute or climb out with `..` are refused, as are ZIP64 archives (over 4 GB, not a bundle size).
 *
 * @example
 * await unzipBundle('bundle.zip', '/tmp/unpacked'); // /tmp/unpacked/ro-crate-metadata.json
 */
export async function unzipBundle(zipPath: string, dir: string): Promise<string[]> {
  const bad = (why: string) => new NotebookError(`not a readable bundle zip (${why})`, { file: zipPath });
  let buf: Buffer;
  try {
    buf = readFileSync(zipPath);
  } catch (e) {
    throw new NotebookError((e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message, { file: zipPath });
  }
  let end = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--)
    if (buf.readUInt32LE(i) === 0x06054b50) {
      end = i;
      break;
    }
  if (end < 0) throw bad('no end of central directory');
  const count = buf.readUInt16LE(end + 10);
  let at = buf.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff) throw bad('ZIP64 is not supported');
  const names: string[] = [];
  for (let k = 0; k < count; k++) {
    if (at + 46 > buf.length || buf.readUInt32LE(at) !== 0x02014b50) throw bad(`central directory entry ${k} is damaged`);
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLen = buf.readUInt16LE(at + 28);
    const local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString('utf8');
    at += 46 + nameLen + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    if (name.startsWith('/') || name.includes('\\') || name.split('/').includes('..')) throw bad(`entry ${name} leaves the bundle`);
    if (name.endsWith('/')) continue;
    if (buf.readUInt32LE(local) !== 0x04034b50) throw bad(`entry ${name}: damaged local header`);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + size);
    let data: Buffer;
    if (method === 0) data = raw;
    else if (method === 8) {
      try {
        data = inflateRawSync(raw);
      } catch (e) {
        throw bad(`entry ${name}: ${(e as Error).message}`);
      }
    } else throw bad(`entry ${name}: compression method ${method} is not supported`);
    const target = join(dir, name);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, data);
    names.push(name);
  }
  return names.sort();
}

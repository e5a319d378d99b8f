// Wheels → the installed layout inside deps.pex (.deps/<wheel>/…), copied member by member
// without unpacking or recompressing.
import { BuildError } from '../platform/errors.ts';
import type { LocalWheel } from './wheels.ts';
import { openZip, type ArchiveEntry, type ZipReader } from '../archive/zip.ts';

export interface InstalledWheels {
  entries: ArchiveEntry[];
  /** Close the wheels once the archive has been written (entries stream from them lazily). */
  close(): void;
}

const DATA_DIR = /^([^/]+)\.data\/(purelib|platlib)\/(.+)$/;

function unsafe(name: string): boolean {
  return name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name) || name.split('/').some((p) => p === '..');
}

/**
 * Lays each wheel out as an installed tree under .deps/<wheel file name>/ without unpacking it to
 * disk: purelib and platlib merged to the root, dist-info and .data/scripts kept, bytecode dropped.
 */
export async function installWheels(wheels: LocalWheel[]): Promise<InstalledWheels> {
  const readers: ZipReader[] = [];
  const entries: ArchiveEntry[] = [];
  try {
    for (const wheel of wheels) {
      const zip = await openZip(wheel.path).catch((e: Error) => {
        throw new BuildError(`${wheel.filename} is not a readable wheel (${e.message}) — delete it from the cache and rebuild`);
      });
      readers.push(zip);
      const seen = new Set<string>();
      for (const m of zip.members) {
        if (m.isDirectory) continue;
        if (unsafe(m.name) || m.isSymlink)
          throw new BuildError(`${wheel.filename} contains an unsafe entry '${m.name}' — refusing to install it`);
        if (m.name.endsWith('.pyc') || m.name.includes('__pycache__/')) continue;
        const data = DATA_DIR.exec(m.name);
        const rel = data ? data[3] : m.name;
        if (seen.has(rel)) continue; // purelib and platlib may both carry a file; first wins, as pip
        seen.add(rel);
        const name = `.deps/${wheel.filename}/${rel}`;
        const executable = (m.mode & 0o111) !== 0 || /\.data\/scripts\//.test(m.name);
        // Stored and deflated members are copied as they are: no recompression, and the bytes are
        // the wheel's (verified by sha256), not whatever this machine's zlib would produce.
        entries.push(
          m.method === 0 || m.method === 8
            ? {
                name,
                executable,
                raw: {
                  method: m.method,
                  crc32: m.crc32,
                  compressedSize: m.compressedSize,
                  uncompressedSize: m.size,
                  read: (offset, length, into) => zip.readRaw(m.name, offset, length, into),
                  readAsync: (offset, length, into) => zip.readRawAsync(m.name, offset, length, into),
                },
              }
            : { name, executable, size: m.size, open: () => zip.open(m.name) },
        );
      }
    }
  } catch (err) {
    for (const r of readers) r.close();
    throw err;
  }
  return { entries, close: () => readers.forEach((r) => r.close()) };
}

import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { UsageError } from '../errors/index.js';

/**
 * A file a command writes (`-o OUT`, `--manifest FILE`), written atomically: into `OUT.partial-PID`, renamed into place by
 * `commit()`, removed by `abandon()`. It is opened before the command's work begins, so an output that cannot be written
 * (a missing folder, a file in the way, no permission) is reported first, as bad usage naming the option (exit 2), and
 * so is a write that fails later (a full disk).
 *
 * @example
 * const out = await OutputFile.open('-o', 'objects.csv');
 * try { await out.write('ID,FLUX\n'); await out.commit(); } catch (e) { await out.abandon(); throw e; }
 */
export class OutputFile {
  private constructor(
    private readonly flag: string,
    readonly path: string,
    private readonly tmp: string,
    private handle: FileHandle | undefined,
  ) {}

  /** Opens the temporary file next to `path`; `flag` is the option as typed (`-o`, `--manifest`), for messages. */
  static async open(flag: string, path: string): Promise<OutputFile> {
    const tmp = `${path}.partial-${process.pid}`;
    try {
      return new OutputFile(flag, path, tmp, await open(tmp, 'w'));
    } catch (e) {
      throw failed(flag, path, e);
    }
  }

  /** Appends bytes or text (UTF-8). */
  async write(data: Uint8Array | string): Promise<void> {
    try {
      await this.handle!.writeFile(data); // the whole of it, at the file's current position
    } catch (e) {
      throw failed(this.flag, this.path, e);
    }
  }

  /** Closes the file and renames it into place. */
  async commit(): Promise<void> {
    try {
      await this.handle!.close();
      this.handle = undefined;
      await rename(this.tmp, this.path);
    } catch (e) {
      throw failed(this.flag, this.path, e);
    }
  }

  /** Closes and removes the temporary file (after a failure); never throws. */
  async abandon(): Promise<void> {
    await this.handle?.close().catch(() => {});
    this.handle = undefined;
    await rm(this.tmp, { force: true }).catch(() => {});
  }
}

function failed(flag: string, path: string, e: unknown): UsageError {
  const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  return new UsageError(`${flag} ${path}: cannot write it (${why})`, { option: flag.replace(/^-+/, ''), value: path });
}

/**
 * Writes a whole output at once through an {@link OutputFile}.
 *
 * @example
 * await writeOutput('--manifest', 'MANIFEST.json', JSON.stringify(manifest));
 */
export async function writeOutput(flag: string, path: string, data: Uint8Array | string): Promise<void> {
  const file = await OutputFile.open(flag, path);
  try {
    await file.write(data);
    await file.commit();
  } catch (e) {
    await file.abandon();
    throw e;
  }
}

import { basename } from 'node:path';
import { tableFromIPC, tableToIPC, Table, type RecordBatch } from 'apache-arrow';
import type { StitchedSpectra } from '../desi/index.js';
import type { FitQuasarOptions } from './fit-quasar.js';
import { type LogLambdaGrid, ML_GRID } from './log-lambda-grid.js';
import { type MlMatrix, mlMatrixFromStitched } from './ml-matrix.js';
import { type FeatureRow, featureBatch, measureQuasar } from './quasar-features.js';
import { readQuasarSpectra } from './spectrum-files.js';

/**
 * What measuring one spectra file gives: its features as one record batch (one row per spectrum, in file order), the
 * counts of measured and failed rows (they add up to the spectra in the file), and the ML matrix rows of the measured
 * spectra when asked for.
 *
 * @example
 * const r: FileFeatures = await measureSpectraFile('coadd-main-dark-27256.fits');
 * r.good + r.failed === r.features.numRows; // true
 */
export interface FileFeatures {
  file: string;
  features: RecordBatch;
  /** `features` as the Arrow IPC stream a worker thread sent (ParquetStreamWriter.writeIpc writes it as is). */
  ipc?: Uint8Array;
  good: number;
  failed: number;
  matrix?: MlMatrix;
}

/**
 * Options of {@link measureSpectraFile}.
 *
 * @example
 * const o: MeasureFileOptions = { redshifts, matrix: true };
 */
export interface MeasureFileOptions {
  /** TARGETID -> Z (default: the redrock file beside each DESI file; SDSS files carry their own). */
  redshifts?: ReadonlyMap<bigint, number>;
  /** Also build the ML matrix rows of the measured spectra (on `grid`, default ML_GRID). */
  matrix?: boolean;
  grid?: LogLambdaGrid;
  fit?: FitQuasarOptions;
}

/**
 * Reads one DESI coadd/spectra or SDSS spec file and measures every spectrum in it ({@link measureQuasar}); `tick(n)`
 * hears progress in spectra. A spectrum that cannot be measured is a `failed` row with its reason; only a file that
 * cannot be read (or has no redshift source) throws, naming the file.
 *
 * @example
 * const { features, good, failed } = await measureSpectraFile('spec-0332-52367-0639.fits');
 */
export async function measureSpectraFile(
  file: string,
  options: MeasureFileOptions = {},
  tick: (n: number) => void = () => undefined,
): Promise<FileFeatures> {
  const s = await readQuasarSpectra(file, options.redshifts ? { redshifts: options.redshifts } : {});
  const rows: FeatureRow[] = [];
  const name = basename(file);
  let good = 0;
  const measured: number[] = [];
  const TICK = 16;
  const lnWave = Float64Array.from(s.wave, Math.log);
  for (let i = 0; i < s.nspec; i++) {
    const at = i * s.nwave;
    const spectrum = {
      wave: s.wave,
      lnWave,
      flux: s.flux.subarray(at, at + s.nwave),
      ivar: s.ivar.subarray(at, at + s.nwave),
      mask: s.mask.subarray(at, at + s.nwave),
    };
    let features;
    try {
      features = measureQuasar(spectrum, s.z[i]!, options.fit);
    } catch (e) {
      // A bug or an input no check foresaw must not stop a batch of a million spectra: the row says what happened.
      const reason = `measurement failed: ${e instanceof Error ? e.message : String(e)}`;
      features = measureQuasar({ wave: [], flux: [], ivar: [] }, Number.NaN, options.fit);
      features = { ...features, reason };
    }
    if (features.reason === null) {
      good++;
      measured.push(i);
    }
    rows.push({ targetid: s.targetids[i]!, z: s.z[i]!, file: name, row: i, features });
    if ((i + 1) % TICK === 0) tick(TICK);
  }
  tick(s.nspec % TICK);
  const out: FileFeatures = { file, features: featureBatch(rows), good, failed: s.nspec - good };
  if (options.matrix) out.matrix = matrixRows(s, measured, options.grid ?? ML_GRID);
  return out;
}

/** The ML matrix rows of the spectra `rows` of a file (those with a redshift and a fit). */
function matrixRows(s: Awaited<ReturnType<typeof readQuasarSpectra>>, rows: readonly number[], grid: LogLambdaGrid): MlMatrix {
  const n = rows.length;
  const pick = <T extends Float32Array | Uint32Array>(a: T, make: (len: number) => T): T => {
    const out = make(n * s.nwave);
    rows.forEach((r, k) => out.set(a.subarray(r * s.nwave, (r + 1) * s.nwave), k * s.nwave));
    return out;
  };
  const stitched: StitchedSpectra = {
    wavelength: s.wave,
    nwave: s.nwave,
    nspec: n,
    flux: pick(s.flux, (l) => new Float32Array(l)),
    ivar: pick(s.ivar, (l) => new Float32Array(l)),
    mask: pick(s.mask, (l) => new Uint32Array(l)),
  };
  return mlMatrixFromStitched(
    stitched,
    BigInt64Array.from(rows, (r) => s.targetids[r]!),
    Float64Array.from(rows, (r) => s.z[r]!),
    { grid },
  );
}

/** A FileFeatures as plain transferable parts (a worker thread sends these). */
export interface FileFeaturesMessage {
  file: string;
  ipc: Uint8Array;
  good: number;
  failed: number;
  matrix?: MlMatrix;
}

/** Packs a result for postMessage: the batch as Arrow IPC bytes. @example port.postMessage(toMessage(r)); */
export function toMessage(r: FileFeatures): FileFeaturesMessage {
  const m: FileFeaturesMessage = { file: r.file, ipc: tableToIPC(new Table([r.features]), 'stream'), good: r.good, failed: r.failed };
  if (r.matrix) m.matrix = r.matrix;
  return m;
}

/** Unpacks a worker's result. @example const r = fromMessage(message); */
export function fromMessage(m: FileFeaturesMessage): FileFeatures {
  const t = tableFromIPC(m.ipc);
  const out: FileFeatures = { file: m.file, features: t.batches[0]!, ipc: m.ipc, good: m.good, failed: m.failed };
  if (m.matrix) out.matrix = m.matrix;
  return out;
}

/** The buffers of a message that can move to the other thread without copying. */
export function transferables(m: FileFeaturesMessage): ArrayBuffer[] {
  const out = [m.ipc.buffer as ArrayBuffer];
  if (m.matrix)
    out.push(...[m.matrix.targetid, m.matrix.flux, m.matrix.ivar, m.matrix.mask, m.matrix.scale].map((a) => a.buffer as ArrayBuffer));
  return out;
}

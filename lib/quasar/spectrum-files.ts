import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { QuasarError } from '../errors/index.js';
import { detectProduct, readRedrock, readSdssSpec, readSpectra, stitchArms } from '../desi/index.js';
import { FitsFile } from '../fits/index.js';

/**
 * The spectra of one input file on one observed-frame grid, with the redshift each is measured at. Row i of flux, ivar
 * and mask is `flux.subarray(i * nwave, (i + 1) * nwave)`; `z[i]` is NaN where no redshift is known (that row is
 * reported, not measured).
 *
 * @example
 * const f: QuasarSpectraFile = await readQuasarSpectra('coadd-main-dark-27256.fits');
 * const row0 = f.flux.subarray(0, f.nwave);
 */
export interface QuasarSpectraFile {
  file: string;
  product: 'coadd' | 'spectra' | 'sdss-spec';
  nspec: number;
  targetids: BigInt64Array;
  z: Float64Array;
  /** Where the redshifts came from: a redrock file, the `redshifts` given, or the SDSS file's SPECOBJ (BOSS: SPALL). */
  zSource: string;
  wave: Float64Array;
  nwave: number;
  flux: Float32Array;
  ivar: Float32Array;
  mask: Uint32Array;
}

/**
 * Options of {@link readQuasarSpectra}.
 *
 * @example
 * const o: QuasarSpectraOptions = { redshifts: await readRedshifts(['redrock-main-dark-27256.fits']) };
 */
export interface QuasarSpectraOptions {
  /** TARGETID -> Z. Without it a DESI file's redshifts come from the redrock file beside it (same SURVEY-PROGRAM-PIXEL). */
  redshifts?: ReadonlyMap<bigint, number>;
  /** Only these rows [start, end) of the file (default all). */
  rows?: { start?: number; end?: number };
}

/**
 * TARGETID -> Z from the REDSHIFTS HDU of redrock files (or any table with TARGETID and Z there). A TARGETID in two
 * files with different redshifts is bad input: it names both files.
 *
 * @example
 * const z = await readRedshifts(['redrock-main-dark-27256.fits']); z.get(39627745623525818n);
 */
export async function readRedshifts(files: readonly string[]): Promise<Map<bigint, number>> {
  const out = new Map<bigint, number>();
  const from = new Map<bigint, string>();
  for (const file of files) {
    const t = await readRedrock(file, { columns: ['TARGETID', 'Z'] });
    const ids = t.getChild('TARGETID')!.toArray() as BigInt64Array;
    const zs = t.getChild('Z')!.toArray() as Float64Array;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const seen = out.get(id);
      if (seen !== undefined && seen !== zs[i])
        throw new QuasarError(`TARGETID ${id} has Z ${zs[i]} here and Z ${seen} in ${from.get(id)}: give one redshift per target`, {
          file,
          hdu: 'REDSHIFTS',
          row: i,
        });
      out.set(id, zs[i]!);
      from.set(id, file);
    }
  }
  return out;
}

/** The redrock file DESI writes beside a coadd or spectra file (coadd-main-dark-27256.fits -> redrock-main-dark-27256.fits). */
export function redrockBeside(file: string): string | undefined {
  const name = basename(file).replace(/\.gz$/, '');
  const m = /^(coadd|spectra)-(.+)\.fits$/.exec(name);
  if (!m) return undefined;
  const path = join(dirname(file), `redrock-${m[2]}.fits`);
  return existsSync(path) ? path : undefined;
}

/**
 * Reads every spectrum of a DESI coadd or spectra file (arms stitched onto one grid: lib/desi stitchArms) or an SDSS
 * spec file (its one arm, its own SPECOBJ redshift), without the resolution matrices, with the redshift of each.
 * A file of another kind, or a DESI file with no redshift source, is bad input naming the file.
 *
 * @example
 * const f = await readQuasarSpectra('spec-0332-52367-0639.fits'); f.z[0]; // SPECOBJ Z
 */
export async function readQuasarSpectra(file: string, opts: QuasarSpectraOptions = {}): Promise<QuasarSpectraFile> {
  const fits = await FitsFile.open(file);
  try {
    const product = detectProduct(fits);
    if (product === 'sdss-spec') {
      const s = await readSdssSpec(fits);
      const arm = s.spectra.arms.SDSS!;
      return {
        file,
        product,
        nspec: 1,
        targetids: s.spectra.targetids,
        z: Float64Array.of(s.z ?? Number.NaN),
        zSource: `${basename(file)} ${fits.hdus.some((h) => h.name === 'SPECOBJ') ? 'SPECOBJ' : 'SPALL'}`,
        wave: arm.wavelength,
        nwave: arm.nwave,
        flux: arm.flux,
        ivar: arm.ivar,
        // SDSS's and_mask mixes data-quality warnings with rejections (MANYBADCOLUMNS covers all of spec-0332's red
        // half, whose ivar is good); the pipeline already gives rejected pixels ivar 0, so ivar alone decides here.
        mask: new Uint32Array(arm.nwave),
      };
    }
    if (product !== 'coadd' && product !== 'spectra')
      throw new QuasarError(
        `is ${product === undefined ? 'not a DESI or SDSS spectra file' : `a ${product} file`}; quasar features read DESI coadd or spectra files (FIBERMAP, X_FLUX ...) or SDSS spec files (COADD, SPECOBJ)`,
        { file },
      );
    const spectra = await readSpectra(fits, {
      resolution: false,
      fibermapColumns: ['TARGETID'],
      ...(opts.rows ? { rows: opts.rows } : {}),
    });
    let redshifts = opts.redshifts;
    let zSource = 'the redshifts given';
    if (!redshifts) {
      const beside = redrockBeside(file);
      if (!beside)
        throw new QuasarError(
          `no redshifts: give --redshifts REDROCK... (or put ${basename(file)
            .replace(/^(coadd|spectra)-/, 'redrock-')
            .replace(/\.gz$/, '')} beside it)`,
          { file },
        );
      redshifts = await readRedshifts([beside]);
      zSource = basename(beside);
    }
    const z = Float64Array.from(spectra.targetids, (id) => redshifts.get(id) ?? Number.NaN);
    const st = stitchArms(spectra);
    return {
      file,
      product,
      nspec: spectra.nspec,
      targetids: spectra.targetids,
      z,
      zSource,
      wave: st.wavelength,
      nwave: st.nwave,
      flux: st.flux,
      ivar: st.ivar,
      mask: st.mask,
    };
  } finally {
    await fits.close();
  }
}

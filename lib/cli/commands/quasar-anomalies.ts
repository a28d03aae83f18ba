import { existsSync } from 'node:fs';
import { Field, Float64, Int32, Int64, makeData, RecordBatch, Schema, Struct, Table } from 'apache-arrow';
import { QuasarError, UsageError } from '../../errors/index.js';
import { anomalyScores, anomalyTable, concatMlMatrix, type MlMatrix, OnnxScorer, readMlMatrix } from '../../quasar/index.js';
import { ParquetStreamWriter } from '../../store/index.js';
import { parseArgs } from '../args.js';
import { OutputFile } from '../output-file.js';
import { toJson } from '../output.js';
import { progressFor } from '../stdio.js';
import type { Command } from './command.js';

const METHODS = ['pca', 'onnx'] as const;

/** ONNX scores as a table in rank order: TARGETID, CHI2, NGOOD, RANK (1 = the worst reconstructed). */
function onnxTable(targetid: BigInt64Array, chi2: Float64Array, ngood: Int32Array): Table {
  const order = Array.from(chi2.keys()).sort((a, b) => {
    const x = Number.isNaN(chi2[a]!) ? -Infinity : chi2[a]!;
    const y = Number.isNaN(chi2[b]!) ? -Infinity : chi2[b]!;
    return y - x || (targetid[a]! < targetid[b]! ? -1 : targetid[a]! > targetid[b]! ? 1 : 0);
  });
  const n = order.length;
  const fields = [
    new Field('TARGETID', new Int64(), false),
    new Field('CHI2', new Float64(), false),
    new Field('NGOOD', new Int32(), false),
    new Field('RANK', new Int32(), false),
  ];
  const children = [
    makeData({ type: new Int64(), length: n, data: BigInt64Array.from(order, (r) => targetid[r]!) }),
    makeData({ type: new Float64(), length: n, data: Float64Array.from(order, (r) => chi2[r]!) }),
    makeData({ type: new Int32(), length: n, data: Int32Array.from(order, (r) => ngood[r]!) }),
    makeData({ type: new Int32(), length: n, data: Int32Array.from(order, (_, k) => k + 1) }),
  ];
  return new Table([new RecordBatch(new Schema(fields), makeData({ type: new Struct(fields), length: n, nullCount: 0, children }))]);
}

/**
 * `skybook quasar anomalies MATRIX --out SCORES.parquet`: anomaly scores of every row of an ML matrix, by masked PCA
 * (the IVAR-weighted residual's narrow peaks and steps against population-calibrated floors) or an exported ONNX model.
 */
export const quasarAnomalies: Command = {
  name: 'quasar anomalies',
  usage:
    'skybook quasar anomalies MATRIX --out SCORES.parquet [--method pca|onnx] [--model MODEL.onnx] [--components K] [--top N] [--seed N] [--json]',
  summary: 'rank the spectra of an ML matrix by oddness: masked PCA residuals (default) or an ONNX model (a VAE trained elsewhere)',
  flags: [
    { flag: 'MATRIX', help: 'an ML matrix Parquet file (skybook quasar features --matrix)' },
    {
      flag: '-o, --out SCORES.parquet',
      help: 'the scores, most anomalous first: pca: TARGETID, HIGH_PEAK, STEP_PEAK, ARM_STEP, DOUBLET_PEAK, LYA_DEFICIT, LINE_DEFICIT, PCA_CHI2, DENSITY_NLL, SCORE, RANK; onnx: TARGETID, CHI2, NGOOD, RANK (required)',
    },
    {
      flag: '--method pca|onnx',
      help: "pca (default): masked PCA by a seeded randomised SVD; ranked by the IVAR-weighted residual's narrow peaks (spikes, absorbers) and steps (dropped arms) against floors calibrated on the population (not flux residuals, which sky lines dominate); onnx: the model's reconstruction chi-square",
    },
    {
      flag: '--model MODEL.onnx',
      help: 'the ONNX model for --method onnx: input [batch, npix] normalised flux, output the reconstruction',
    },
    { flag: '--components K', help: 'principal components of the PCA (default 8; at most the number of spectra - 1)' },
    { flag: '--top N', help: 'print the N most anomalous TARGETIDs (default 10)' },
    { flag: '--seed N', help: 'the seed of the randomised SVD and the mixture (default 1): the same seed gives the same scores' },
    { flag: '--json', help: 'print rows, method, the top N (TARGETIDs as strings) and seconds as JSON' },
  ],
  async run(argv, io) {
    const args = parseArgs(argv, {
      positionals: ['matrix'],
      values: ['out', 'method', 'model', 'components', 'top', 'seed'],
      switches: ['json'],
      aliases: { o: 'out' },
    });
    const v = args.values;
    const file = args.positionals.matrix!;
    const out = v.out;
    if (!out) throw new UsageError('missing --out SCORES.parquet', { option: 'out' });
    const method = (v.method ?? 'pca') as (typeof METHODS)[number];
    if (!METHODS.includes(method)) throw UsageError.invalid('method', v.method!, METHODS.join(' or '));
    if (method === 'onnx' && !v.model) throw new UsageError('--method onnx needs --model MODEL.onnx', { option: 'model' });
    if (method === 'pca' && v.model) throw new UsageError('--model is for --method onnx', { option: 'model' });
    const top = v.top === undefined ? 10 : Number(v.top);
    if (!Number.isInteger(top) || top < 0) throw UsageError.invalid('top', v.top!, 'an integer >= 0');
    const seed = v.seed === undefined ? 1 : Number(v.seed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 32 - 1) throw UsageError.invalid('seed', v.seed!, 'an integer 0..4294967295');
    const components = v.components === undefined ? 8 : Number(v.components);
    if (!Number.isInteger(components) || components < 1) throw UsageError.invalid('components', v.components!, 'an integer >= 1');
    if (!existsSync(file)) throw new QuasarError('no such file', { file });
    const json = args.switches.has('json');
    const probe = await OutputFile.open('--out', out);
    await probe.abandon();
    const t0 = performance.now();
    const progress = progressFor(io, !json);
    let table: Table;
    let rows = 0;
    try {
      if (method === 'pca') {
        progress.start({ label: `read ${file}`, unit: 'spectra' });
        const parts: MlMatrix[] = [];
        for await (const m of readMlMatrix(file)) {
          parts.push(m);
          rows += m.targetid.length;
          progress.advance(m.targetid.length);
        }
        if (rows <= components)
          throw new QuasarError(
            `${rows} spectra cannot define ${components} principal components: give more spectra or fewer --components`,
            { file },
          );
        progress.start({ label: 'masked PCA, mixture and ranks', total: 1, unit: 'steps' });
        table = anomalyTable(anomalyScores(concatMlMatrix(parts), { seed, components }));
        progress.advance(1);
      } else {
        const scorer = await OnnxScorer.create(v.model!);
        const ids: bigint[] = [];
        const chi2: number[] = [];
        const ngood: number[] = [];
        progress.start({ label: `score ${file} with ${v.model}`, unit: 'spectra' });
        try {
          for await (const m of readMlMatrix(file)) {
            const s = await scorer.score(m);
            for (let i = 0; i < s.chi2.length; i++) {
              ids.push(s.targetid[i]!);
              chi2.push(s.chi2[i]!);
              ngood.push(s.ngood[i]!);
            }
            rows += m.targetid.length;
            progress.advance(m.targetid.length);
          }
        } finally {
          await scorer.close();
        }
        table = onnxTable(BigInt64Array.from(ids), Float64Array.from(chi2), Int32Array.from(ngood));
      }
    } finally {
      progress.finish();
    }
    const writer = new ParquetStreamWriter(out);
    try {
      for (const b of table.batches) await writer.write(b);
      await writer.close();
    } catch (e) {
      await writer.abort();
      throw e;
    }
    const seconds = (performance.now() - t0) / 1000;
    const ids = table.getChild('TARGETID')!;
    const best = Array.from({ length: Math.min(top, table.numRows) }, (_, i) => String(ids.get(i)));
    if (json) {
      io.stdout(toJson({ matrix: file, method, rows, out, top: best, seconds: Math.round(seconds * 1000) / 1000 }, 2) + '\n');
    } else {
      io.stdout(
        `${out}: ${rows} spectra scored by ${method === 'pca' ? 'masked PCA residuals' : v.model}; ${seconds.toFixed(1)} s\n` +
          (best.length ? `most anomalous: ${best.join(', ')}\n` : ''),
      );
    }
    return 0;
  },
};

import { access } from 'node:fs/promises';
import type { InferenceSession, Tensor } from 'onnxruntime-node';
import { fileProblem, QuasarError } from '../../errors/index.js';
import type { MlMatrix } from '../ml-matrix.js';
import { modelInput, type ReconstructionScores, reconstructionChi2 } from './reconstruction-chi2.js';

/**
 * Options of {@link OnnxScorer.create}.
 *
 * @example
 * await OnnxScorer.create('vae.onnx', { input: 'flux', reconstruction: 'reconstruction', latent: 'latent' });
 */
export interface OnnxScorerOptions {
  /** The graph input that takes [batch, npix] float32 normalised flux (default: the graph's first input). */
  input?: string;
  /** The output holding the reconstruction [batch, npix] (default 'reconstruction', else the first output). */
  reconstruction?: string;
  /** The output holding the latent vector [batch, d], if any (default 'latent' when the graph has it). */
  latent?: string;
  /** Value given to masked pixels in the model's input (default 0). */
  fill?: number;
  /** Rows per run (default 1024). */
  batchSize?: number;
}

type Ort = typeof import('onnxruntime-node');
let ort: Ort | undefined;

/**
 * Scores ML matrix rows with an exported model (a VAE trained elsewhere) through onnxruntime-node on the CPU: the
 * model reconstructs each normalised spectrum and the score is the IVAR-weighted chi-square of that reconstruction
 * per good pixel (reconstructionChi2), as for the PCA. One session, reused over batches.
 *
 * @example
 * const scorer = await OnnxScorer.create('python/models/test-vae.onnx');
 * const { chi2 } = await scorer.score(matrix);
 * await scorer.close();
 */
export class OnnxScorer {
  private constructor(
    readonly path: string,
    private readonly session: InferenceSession,
    private readonly ort: Ort,
    /** Pixels per spectrum the model takes. */
    readonly npix: number,
    private readonly names: { input: string; reconstruction: string; latent: string | undefined },
    private readonly options: OnnxScorerOptions,
  ) {}

  /** Opens the model; a missing file or a graph without a [batch, npix] float input is a QuasarError naming the file. */
  static async create(path: string, options: OnnxScorerOptions = {}): Promise<OnnxScorer> {
    try {
      await access(path);
    } catch (e) {
      throw new QuasarError(`cannot open the ONNX model: ${fileProblem(e)}`, { scope: 'OnnxScorer', file: path });
    }
    ort ??= await import('onnxruntime-node');
    let session: InferenceSession;
    try {
      session = await ort.InferenceSession.create(path);
    } catch (e) {
      throw new QuasarError(`not a usable ONNX model: ${e instanceof Error ? e.message : String(e)}`, { scope: 'OnnxScorer', file: path });
    }
    const input = options.input ?? session.inputNames[0]!;
    const reconstruction =
      options.reconstruction ?? (session.outputNames.includes('reconstruction') ? 'reconstruction' : session.outputNames[0]!);
    const latent = options.latent ?? (session.outputNames.includes('latent') ? 'latent' : undefined);
    for (const [what, name, list] of [
      ['input', input, session.inputNames],
      ['output', reconstruction, session.outputNames],
      ['output', latent, session.outputNames],
    ] as const)
      if (name !== undefined && !list.includes(name))
        throw new QuasarError(`no ${what} '${name}'; the model has ${list.join(', ')}`, { scope: 'OnnxScorer', file: path });
    const meta = session.inputMetadata[session.inputNames.indexOf(input)];
    const shape = meta?.isTensor ? meta.shape : [];
    const width = shape[shape.length - 1];
    if (shape.length !== 2 || typeof width !== 'number')
      throw new QuasarError(`input '${input}' has shape [${shape.join(', ')}]; expected [batch, npix] with a fixed npix`, {
        scope: 'OnnxScorer',
        file: path,
      });
    return new OnnxScorer(path, session, ort, width, { input, reconstruction, latent }, options);
  }

  /** Scores every row of `m`; its pixel count must be the model's. */
  async score(m: MlMatrix): Promise<ReconstructionScores> {
    if (m.npix !== this.npix)
      throw new QuasarError(
        `the model takes ${this.npix} pixels per spectrum but the ML matrix has ${m.npix}: resample onto the model's grid`,
        {
          scope: 'OnnxScorer',
          file: this.path,
        },
      );
    const n = m.targetid.length;
    const batch = this.options.batchSize ?? 1024;
    const out: ReconstructionScores = {
      targetid: m.targetid,
      chi2: new Float64Array(n),
      ngood: new Int32Array(n),
      latent: undefined,
      latentSize: 0,
    };
    for (let r0 = 0; r0 < n; r0 += batch) {
      const rows = Math.min(batch, n - r0);
      const input = new Float32Array(rows * this.npix);
      for (let i = 0; i < rows; i++) modelInput(m, r0 + i, this.options.fill ?? 0, input.subarray(i * this.npix, (i + 1) * this.npix));
      const result = await this.session.run({ [this.names.input]: new this.ort.Tensor('float32', input, [rows, this.npix]) });
      const recon = result[this.names.reconstruction] as Tensor;
      const values = recon.data as Float32Array;
      if (values.length !== rows * this.npix)
        throw new QuasarError(
          `output '${this.names.reconstruction}' has shape [${recon.dims.join(', ')}]; expected [${rows}, ${this.npix}]`,
          {
            scope: 'OnnxScorer',
            file: this.path,
          },
        );
      for (let i = 0; i < rows; i++) {
        const s = reconstructionChi2(m, r0 + i, values.subarray(i * this.npix, (i + 1) * this.npix));
        out.chi2[r0 + i] = s.chi2;
        out.ngood[r0 + i] = s.ngood;
      }
      if (this.names.latent) {
        const lat = result[this.names.latent] as Tensor;
        const d = lat.dims[lat.dims.length - 1]!;
        out.latentSize = d;
        out.latent ??= new Float32Array(n * d);
        out.latent.set(lat.data as Float32Array, r0 * d);
      }
    }
    return out;
  }

  /** Releases the session. */
  async close(): Promise<void> {
    await this.session.release();
  }
}

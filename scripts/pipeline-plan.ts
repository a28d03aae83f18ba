/**
 * What `npm run pipelines` runs: parameters and declared inputs per curated notebook, paths relative to the run's cwd
 * (the repository root for the main job). The snapshot tests (test/snapshots/curated.test.ts) run the same plan in a
 * temporary folder, so the snapshots show the outputs and manifests the main job produces.
 *
 * @example
 * const { params, inputs } = planFor('02-sky-store'); // params.survey === 'runs/pipelines/survey'
 */
export const PIPELINES_OUT = 'runs/pipelines';
/** Where 01-quickstart writes the mock survey that 02 and 03 read. */
export const PIPELINES_SURVEY = `${PIPELINES_OUT}/survey`;

/**
 * Parameters (`-p NAME VALUE`, values as the CLI takes them) and `--input` files of one notebook, and, for the main job's
 * pipeline (skybook.pipeline.yaml), what it writes besides its executed notebook and what else it reads.
 */
export interface PipelineStep {
  params: Record<string, string>;
  inputs: string[];
  outs?: string[];
  reads?: string[];
}

const PLAN: Record<string, PipelineStep> = {
  '01-quickstart': { params: { preset: 'small', seed: '1', out: PIPELINES_SURVEY }, inputs: [], outs: [PIPELINES_SURVEY] },
  '02-sky-store': {
    params: { survey: PIPELINES_SURVEY, db: `${PIPELINES_OUT}/survey.duckdb` },
    inputs: [`${PIPELINES_SURVEY}/spectro/redux/iron/zcatalog/v1/zall-pix-iron.fits`, `${PIPELINES_SURVEY}/truth/voids.parquet`],
    outs: [`${PIPELINES_OUT}/survey.duckdb`],
  },
  '03-quasar-spectra': {
    params: { survey: PIPELINES_SURVEY, count: '2' },
    inputs: [`${PIPELINES_SURVEY}/truth/quasars.parquet`],
    reads: [PIPELINES_SURVEY],
  },
  // 04 makes its own survey (the `voids` preset): nothing upstream, so its cache key is its parameters and code.
  '04-void-environments': {
    params: { survey: `${PIPELINES_OUT}/voids-survey`, seed: '1', db: `${PIPELINES_OUT}/voids.duckdb`, threads: '2' },
    inputs: [],
    outs: [`${PIPELINES_OUT}/voids-survey`, `${PIPELINES_OUT}/voids.duckdb`],
  },
  // 05 makes the quasar survey and writes the features and the ML matrix that 06 scores.
  '05-quasar-features': {
    params: {
      survey: `${PIPELINES_OUT}/quasar-survey`,
      seed: '1',
      features: `${PIPELINES_OUT}/quasar-features.parquet`,
      matrix: `${PIPELINES_OUT}/quasar-matrix.parquet`,
      threads: '2',
    },
    inputs: [],
    outs: [`${PIPELINES_OUT}/quasar-survey`, `${PIPELINES_OUT}/quasar-features.parquet`, `${PIPELINES_OUT}/quasar-matrix.parquet`],
  },
  '06-anomalous-quasars': {
    params: { survey: `${PIPELINES_OUT}/quasar-survey`, matrix: `${PIPELINES_OUT}/quasar-matrix.parquet`, top: '8', seed: '1' },
    inputs: [`${PIPELINES_OUT}/quasar-matrix.parquet`, `${PIPELINES_OUT}/quasar-survey/truth/quasars.parquet`],
    reads: [`${PIPELINES_OUT}/quasar-survey`],
  },
  // 07 turns 05's BAL quasars into outflows: Cloudy when it is on PATH, else the bundled real outputs of its grid.
  '07-agn-outflows': {
    params: {
      survey: `${PIPELINES_OUT}/quasar-survey`,
      features: `${PIPELINES_OUT}/quasar-features.parquet`,
      runs: `${PIPELINES_OUT}/agn-grid`,
      out: `${PIPELINES_OUT}/agn-outflows.parquet`,
    },
    inputs: [`${PIPELINES_OUT}/quasar-features.parquet`],
    reads: [`${PIPELINES_OUT}/quasar-survey`],
    outs: [`${PIPELINES_OUT}/agn-outflows.parquet`],
  },
  // 08 fans 05's coadd files out over a Ray cluster: only where RAY_ADDRESS names one (skipReason).
  '08-ray-fanout': {
    params: { survey: `${PIPELINES_OUT}/quasar-survey`, out: `${PIPELINES_OUT}/ray-features` },
    inputs: [],
    reads: [`${PIPELINES_OUT}/quasar-survey`],
    outs: [`${PIPELINES_OUT}/ray-features`],
  },
};

/**
 * Why the main job does not run a notebook here, or undefined when it does: 08 needs a Ray cluster, named by
 * RAY_ADDRESS (tests run it against a cluster of their own).
 *
 * @example
 * skipReason('08-ray-fanout', {}); // 'no Ray cluster: ...'
 */
export function skipReason(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (name === '08-ray-fanout' && !env.RAY_ADDRESS)
    return 'no Ray cluster: set RAY_ADDRESS to a dashboard (node dist/scripts/ray-local-cluster.js starts one here)';
  return undefined;
}

/** The plan of a notebook by name (file name without `.ipynb`); a notebook not in the plan runs with its defaults. @example planFor('01-quickstart').params.seed // '1' */
export function planFor(name: string): PipelineStep {
  return PLAN[name] ?? { params: {}, inputs: [] };
}

/**
 * The `skybook run` arguments for one notebook of notebooks/, as the main job passes them (the output notebook under
 * `runs/pipelines/`, the skybook kernel, JSON summary on stdout).
 *
 * @example
 * runArgs('03-quasar-spectra') // ['run', 'notebooks/03-quasar-spectra.ipynb', '-o', 'runs/pipelines/03-quasar-spectra.ipynb', ...]
 */
export function runArgs(name: string): string[] {
  const plan = planFor(name);
  const args = ['run', `notebooks/${name}.ipynb`, '-o', `${PIPELINES_OUT}/${name}.ipynb`, '--kernel', 'skybook', '--json'];
  for (const [k, v] of Object.entries(plan.params)) args.push('-p', k, v);
  for (const i of plan.inputs) args.push('--input', i);
  return args;
}

/**
 * The main job as a pipeline: skybook.pipeline.yaml, one notebook stage per curated notebook with its parameters, its
 * inputs and the folders it reads as deps, what it writes as outs, its executed notebook and HTML page under
 * runs/pipelines/, and 08 only where RAY_ADDRESS is set. `notebooks` is where the notebooks are, as the file names them
 * (the repository's copy says `notebooks`; a run in another folder names them by absolute path). The committed
 * skybook.pipeline.yaml is this text (test/pipeline/main-job.test.ts checks it).
 *
 * @example
 * writeFileSync('skybook.pipeline.yaml', mainJobPipeline('notebooks', ['01-quickstart', '02-sky-store']));
 */
export function mainJobPipeline(notebooks: string, names: readonly string[]): string {
  const q = (s: string) => (/^[A-Za-z0-9_./-]+$/.test(s) ? s : JSON.stringify(s));
  const lines = [
    '# The main job (`npm run pipelines`): the curated notebooks on the mock survey and embedded DuckDB, as a pipeline.',
    '# Generated from scripts/pipeline-plan.ts (mainJobPipeline); `skybook pipeline run` re-runs only what is stale.',
    'stages:',
  ];
  for (const name of names) {
    const plan = planFor(name);
    const deps = [...plan.inputs, ...(plan.reads ?? [])].filter((d, i, all) => all.indexOf(d) === i);
    lines.push(`  ${name}:`, `    notebook: ${q(`${notebooks}/${name}.ipynb`)}`, '    kernel: skybook');
    lines.push(`    out: ${PIPELINES_OUT}/${name}.ipynb`, `    html: ${PIPELINES_OUT}/${name}.html`);
    if (Object.keys(plan.params).length) {
      lines.push('    params:');
      for (const [k, v] of Object.entries(plan.params)) lines.push(`      ${k}: ${/^-?\d+(\.\d+)?$/.test(v) ? v : q(v)}`);
    }
    if (deps.length) lines.push(`    deps: [${deps.map(q).join(', ')}]`);
    if (plan.outs?.length) lines.push(`    outs: [${plan.outs.map(q).join(', ')}]`);
    if (name === '08-ray-fanout') lines.push('    requires_env: [RAY_ADDRESS]');
  }
  return lines.join('\n') + '\n';
}

import { dirname, isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { z } from 'zod';
import { PipelineError } from '../errors/index.js';
import { readYamlFile } from './yaml-file.js';

/** The file `skybook pipeline` reads when `-f` names none, in the working directory. */
export const PIPELINE_FILE = 'skybook.pipeline.yaml';

const path = z.string().min(1, 'an empty path');
const paramValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(paramValue), z.record(z.string(), paramValue)]),
);
const common = {
  desc: z.string().optional(),
  deps: z.array(path).default([]),
  outs: z.array(path).default([]),
  params: z.record(z.string(), paramValue).default({}),
  /** Run only where this environment variable is set (a cluster address, a credential); else the stage is skipped. */
  requires_env: z.array(z.string()).default([]),
};
const cmdStage = z.strictObject({ ...common, cmd: z.string().min(1, 'an empty command') });
const notebookStage = z.strictObject({
  ...common,
  notebook: path,
  /** The executed notebook (default `runs/STAGE.ipynb`); with its provenance manifest, an out of the stage. */
  out: path.optional(),
  /** A static HTML page of the executed notebook, written after it runs (an out too). */
  html: path.optional(),
  kernel: z.string().optional(),
  timeout: z.number().positive().optional(),
});

/**
 * skybook.pipeline.yaml, shaped like dvc.yaml: `stages` maps a name to a `cmd` (a shell command line run in the file's
 * folder) or a `notebook` with `params`, each with `deps` and `outs` (paths relative to the file's folder).
 *
 * @example
 * PIPELINE_SCHEMA.parse({ stages: { survey: { cmd: 'skybook datasets make --out data', outs: ['data'] } } });
 */
export const PIPELINE_SCHEMA = z.strictObject({
  stages: z
    .record(
      z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a stage name is letters, digits, _ . - (starting with a letter or digit)'),
      z.union([cmdStage, notebookStage], { error: 'a stage has either `cmd` or `notebook`, with deps, outs and params' }),
    )
    .refine((s) => Object.keys(s).length > 0, 'no stages'),
  /** The run ledger's store URL (default: SKYBOOK_LEDGER, else .skybook/ledger.duckdb beside this file). */
  ledger: z.string().optional(),
});

/** One stage, with its paths resolved against the pipeline's folder and kept in the form written (for messages). */
export interface Stage {
  name: string;
  kind: 'cmd' | 'notebook';
  /** The command line (cmd stages). */
  cmd?: string;
  /** The notebook's path relative to the pipeline folder (notebook stages). */
  notebook?: string;
  /** Executed notebook and HTML page (notebook stages), relative. */
  out?: string;
  html?: string;
  kernel?: string;
  timeout?: number;
  params: Record<string, unknown>;
  /** Relative to the pipeline folder, normalised (`a/./b/` -> `a/b`). */
  deps: string[];
  /** Declared outs plus, for notebook stages, the executed notebook, its manifest and its HTML page. */
  outs: string[];
  requiresEnv: string[];
  desc?: string;
}

/** A loaded pipeline: its file, folder, stages in the order written, and ledger URL if it names one. */
export interface Pipeline {
  file: string;
  dir: string;
  stages: Stage[];
  ledger?: string;
}

/**
 * Reads and checks a pipeline file: schema (errors with line and column), paths that stay inside the pipeline's folder,
 * no out claimed by two stages, no out inside another stage's out.
 *
 * @example
 * const p = loadPipeline('skybook.pipeline.yaml'); p.stages.map((s) => s.name) // ['survey', 'ingest', ...]
 */
export function loadPipeline(file: string = PIPELINE_FILE): Pipeline {
  const spec = readYamlFile(file, PIPELINE_SCHEMA);
  const dir = dirname(resolve(file));
  const stages: Stage[] = [];
  for (const [name, s] of Object.entries(spec.stages)) {
    const rel = (p: string, what: string) => inside(dir, p, file, name, what);
    // What a stage reads may live anywhere (a shared data folder, the repository's notebooks); only what it writes is
    // held to the pipeline's folder.
    const read = (p: string) => (isAbsolute(p) ? normalize(p) : relative(dir, join(dir, p)) || '.');
    const base = {
      name,
      params: s.params,
      deps: s.deps.map(read),
      requiresEnv: s.requires_env,
      desc: s.desc,
    };
    if ('cmd' in s) {
      stages.push({ ...base, kind: 'cmd', cmd: s.cmd, outs: s.outs.map((o) => rel(o, 'out')) });
    } else {
      const out = rel(s.out ?? `runs/${name}.ipynb`, 'out');
      const manifest = out.replace(/\.ipynb$/, '') + '.provenance.json';
      const html = s.html === undefined ? undefined : rel(s.html, 'html');
      stages.push({
        ...base,
        kind: 'notebook',
        notebook: read(s.notebook),
        out,
        html,
        kernel: s.kernel,
        timeout: s.timeout,
        outs: [...s.outs.map((o) => rel(o, 'out')), out, manifest, ...(html ? [html] : [])],
      });
    }
  }
  checkOuts(stages, file);
  return { file, dir, stages, ledger: spec.ledger };
}

/** An out's path relative to the pipeline folder, refused when it leaves it (a stage may not write outside its project). */
function inside(dir: string, p: string, file: string, stage: string, what: string): string {
  const abs = isAbsolute(p) ? normalize(p) : join(dir, p);
  const rel = relative(dir, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
    throw new PipelineError(`${what} ${JSON.stringify(p)} is outside the pipeline's folder ${dir}`, { file, stage });
  return rel;
}

function checkOuts(stages: readonly Stage[], file: string): void {
  const owner = new Map<string, string>();
  for (const s of stages)
    for (const o of s.outs) {
      const other = owner.get(o);
      if (other && other !== s.name) throw new PipelineError(`out ${o} is also an out of stage ${other}`, { file, stage: s.name });
      owner.set(o, s.name);
    }
  const outs = [...owner.keys()].sort();
  for (let i = 1; i < outs.length; i++) {
    const [a, b] = [outs[i - 1]!, outs[i]!];
    if (b.startsWith(`${a}/`) && owner.get(a) !== owner.get(b))
      throw new PipelineError(`out ${b} (stage ${owner.get(b)}) lies inside out ${a} (stage ${owner.get(a)})`, { file });
  }
}

/**
 * Whether `path` is `dir` or lies inside it (both relative, normalised).
 *
 * @example
 * within('data/survey/zall.fits', 'data/survey') // true
 */
export function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(`${dir}/`);
}

/**
 * Whether some stage of the pipeline writes `dep` (as an out, inside one, or holding one): a dep that is not there yet
 * is then waited for, not refused.
 *
 * @example
 * madeByAStage(p, 'data/survey/zall.fits') // true when a stage has `data/survey` as an out
 */
export function madeByAStage(p: Pipeline, dep: string): boolean {
  return p.stages.some((s) => s.outs.some((o) => within(dep, o) || within(o, dep)));
}

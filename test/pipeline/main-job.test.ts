import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPipeline, stageGraph } from '../../lib/pipeline/index.js';
import { mainJobPipeline } from '../../scripts/pipeline-plan.js';
import { ROOT } from '../helpers/cli.js';

const NAMES = readdirSync(join(ROOT, 'notebooks'))
  .filter((f) => f.endsWith('.ipynb'))
  .map((f) => f.replace(/\.ipynb$/, ''))
  .sort();

describe("the main job's pipeline (skybook.pipeline.yaml)", () => {
  it('is what scripts/pipeline-plan.ts makes of the curated notebooks (regenerate it when the plan changes)', () => {
    expect(readFileSync(join(ROOT, 'skybook.pipeline.yaml'), 'utf8')).toBe(mainJobPipeline('notebooks', NAMES));
  });

  it('has one notebook stage per curated notebook, wired by what each reads from another', () => {
    const g = stageGraph(loadPipeline(join(ROOT, 'skybook.pipeline.yaml')));
    expect([...g.byName.keys()]).toEqual(NAMES);
    expect(g.upstream.get('02-sky-store')).toEqual(['01-quickstart']);
    expect(g.upstream.get('06-anomalous-quasars')).toEqual(['05-quasar-features']);
    expect(g.upstream.get('07-agn-outflows')).toEqual(['05-quasar-features']);
    expect(g.byName.get('08-ray-fanout')!.requiresEnv).toEqual(['RAY_ADDRESS']);
    for (const s of g.stages) expect(s.outs).toContain(`runs/pipelines/${s.name}.html`);
  });
});

import { formatLocation, type Location } from './location.js';
import { SkybookError } from './skybook-error.js';

/**
 * Where a pipeline problem sits: the pipeline, checks or registry file with its line and column, the stage, the QA
 * check, the table and column it looked at.
 *
 * @example
 * const where: PipelineLocation = { file: 'skybook.pipeline.yaml', line: 7, col: 5, stage: 'features' };
 */
export type PipelineLocation = Pick<Location, 'file' | 'stage' | 'check' | 'table' | 'column' | 'line' | 'col'>;

/**
 * A pipeline, QA, lineage or governance problem: a bad pipeline or checks file (exit code 2, naming line and column), a
 * cycle or a missing dep (2), a stage that failed or did not write its outs (1), a QA breach (1).
 *
 * @example
 * throw new PipelineError("unknown key 'dep' (did you mean 'deps'?)", { file: 'skybook.pipeline.yaml', line: 4, col: 5 });
 */
export class PipelineError extends SkybookError {
  readonly location: PipelineLocation;

  constructor(problem: string, location: PipelineLocation = {}, exitCode: 1 | 2 = 2, options: { cause?: unknown } = {}) {
    super(formatLocation(location) + problem, exitCode, options.cause === undefined ? undefined : { cause: options.cause });
    this.location = location;
  }
}

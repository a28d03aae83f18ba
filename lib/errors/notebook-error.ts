import { SkybookError } from './skybook-error.js';

/** Where in a notebook run a problem sits; the message names the fields that are set. */
export interface NotebookLocation {
  file?: string;
  cell?: number;
  kernel?: string;
  parameter?: string;
}

function where(loc: NotebookLocation): string {
  const parts: string[] = [];
  if (loc.file !== undefined) parts.push(loc.file);
  if (loc.kernel !== undefined) parts.push(`kernel ${loc.kernel}`);
  if (loc.cell !== undefined) parts.push(`cell ${loc.cell}`);
  if (loc.parameter !== undefined) parts.push(`parameter ${loc.parameter}`);
  return parts.length ? parts.join(': ') + ': ' : '';
}

/**
 * A notebook that cannot be read or parameterised (bad JSON, unknown parameter, wrong value type): bad input, exit 2.
 *
 * @example
 * throw new NotebookError("unknown parameter 'zmx'; known: zmax, spectype", { file: 'a.ipynb', parameter: 'zmx' });
 */
export class NotebookError extends SkybookError {
  readonly location: NotebookLocation;

  constructor(problem: string, location: NotebookLocation = {}, exitCode: 1 | 2 = 2) {
    super(where(location) + problem, exitCode);
    this.location = location;
  }
}

/**
 * A kernel that failed: did not start in time, died, or could not be found (exit 1 once the run started).
 *
 * @example
 * throw new KernelError('died with signal SIGKILL', { kernel: 'python3' });
 */
export class KernelError extends SkybookError {
  readonly location: NotebookLocation;

  constructor(problem: string, location: NotebookLocation = {}, exitCode: 1 | 2 = 1) {
    super(where(location) + problem, exitCode);
    this.location = location;
  }
}

/**
 * A cell that raised (papermill's PapermillExecutionError): carries the cell index, ename, evalue and traceback.
 *
 * @example
 * throw new CellExecutionError(3, 'ValueError', 'bad z', ['...']);
 */
export class CellExecutionError extends SkybookError {
  constructor(
    readonly cell: number,
    readonly ename: string,
    readonly evalue: string,
    readonly traceback: string[] = [],
  ) {
    super(`cell ${cell} raised ${ename}: ${evalue}`, 1);
  }
}

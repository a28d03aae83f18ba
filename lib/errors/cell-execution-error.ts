import type { NotebookLocation } from './notebook-error.js';
import { SkybookError } from './skybook-error.js';

/**
 * A cell that raised (papermill's PapermillExecutionError): the work failed, exit 1. Carries the cell index, ename,
 * evalue and traceback; the message reads `cell 3 raised ValueError: bad z`.
 *
 * @example
 * throw new CellExecutionError(3, 'ValueError', 'bad z', ['...']);
 */
export class CellExecutionError extends SkybookError {
  readonly location: NotebookLocation;

  constructor(
    readonly cell: number,
    readonly ename: string,
    readonly evalue: string,
    readonly traceback: string[] = [],
  ) {
    super(`cell ${cell} raised ${ename}: ${evalue}`, 1);
    this.location = { cell };
  }
}

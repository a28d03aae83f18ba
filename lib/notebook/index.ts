export { parseNotebook, stringifyNotebook, readNotebook, writeNotebook, sortKeys, isJsonMime, newCell } from './nbformat.js';
export type { Notebook, Cell, Output } from './nbformat.js';
export { writeFileAtomic, writeFileAtomicSync } from './atomic.js';
export { Wire } from './wire.js';
export type { Message, MessageHeader } from './wire.js';
export { jupyterDataDirs, listKernelSpecs, findKernelSpec, registerBuiltinKernel } from './kernelspec.js';
export type { KernelSpec, KernelJson } from './kernelspec.js';
export { KernelProcess } from './kernel-process.js';
export type { ConnectionInfo, KernelExit } from './kernel-process.js';
export { KernelClient } from './kernel-client.js';
export { KernelSession } from './kernel-session.js';
export type { ExecuteResult, StartOptions } from './kernel-session.js';
export {
  Translator,
  PythonTranslator,
  TypeScriptTranslator,
  registerTranslator,
  translatorFor,
  translatorLanguages,
} from './translators.js';
export type { ParamValue } from './translators.js';
export {
  parseParameterCell,
  parametersCellIndex,
  notebookLanguage,
  notebookParameters,
  coerceCliValue,
  checkParameters,
  injectParameters,
  redactInjectedSource,
  typeOfValue,
} from './parameters.js';
export { redactNotebook } from './redact-notebook.js';
export { openStore } from './open-store.js';
export type { ParamDecl, ParamType } from './parameters.js';
export { BANNER_TAG, bannerCell, withoutBanner } from './banner.js';
export { runNotebook } from './runner.js';
export type { RunOptions, RunResult, RunStatus } from './runner.js';
export { renderMarkdown } from './markdown.js';
export { exportHtml } from './html-export.js';
export type { ExportFooter, ExportInput, ExportOptions } from './html-export.js';

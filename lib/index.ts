/**
 * skybook's public API: one namespace per layer (each is that folder's index.ts, its contract), and a small root of
 * what a notebook user types most. Names are listed and kept stable in docs/api.md.
 *
 * @example
 * import { openFits, readZcatalog, desi, store } from 'skybook';
 * const z = await readZcatalog('zall-pix-iron.fits', { columns: ['TARGETID', 'Z', 'ZWARN', 'SPECTYPE'] });
 * const good = desi.filterTable(z, desi.goodRedshift());
 * const db = await openStore('duckdb:sky.duckdb'); // read-only unless { readOnly: false }
 */
import * as core from './core/index.js';
import * as errors from './errors/index.js';
import * as cosmo from './cosmo/index.js';
import * as fits from './fits/index.js';
import * as desi from './desi/index.js';
import * as store from './store/index.js';
import * as quasar from './quasar/index.js';
import * as voids from './voids/index.js';
import * as cloudy from './cloudy/index.js';
import * as ray from './ray/index.js';
import * as datasets from './datasets/index.js';
import * as notebook from './notebook/index.js';
import * as provenance from './provenance/index.js';
import * as pipeline from './pipeline/index.js';
import * as viz from './viz/index.js';

export { core, errors, cosmo, fits, desi, store, quasar, voids, cloudy, datasets, ray, notebook, provenance, pipeline, viz };

// The curated root: reading survey files, loading and querying them, showing results, making a mock survey.
export { openFits } from './fits/index.js';
export { readZcatalog, readRedrock, readSpectra } from './desi/index.js';
// openStore is the notebook's: a DuckDB file or PostgreSQL opens read-only unless asked (lib/notebook/open-store.ts).
export { openStore } from './notebook/index.js';
export { ingest, sql } from './store/index.js';
export { makeSurvey } from './datasets/index.js';
export { display, plotlyFigure } from './viz/index.js';
export { SkybookError } from './errors/index.js';
export type { Progress } from './core/index.js';

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunLedger } from '../../lib/store/index.js';
import { spawnSkybook } from '../helpers/spawn-cli.js';
import { pgUrlFor, storeTestFile } from '../store/store-helpers.js';

const { schema, tmp } = storeTestFile(__filename, 'unused.duckdb');

describe('a pipeline whose run ledger is in PostgreSQL', { timeout: 60_000 }, () => {
  it('records the pipeline, its stages and the commands they ran there, and nothing in an embedded file', async () => {
    const d = join(tmp.dir, 'project');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'in.txt'), 'one\n');
    writeFileSync(
      join(d, 'skybook.pipeline.yaml'),
      'stages:\n  copy:\n    cmd: cp in.txt copy.txt\n    deps: [in.txt]\n    outs: [copy.txt]\n' +
        '  info:\n    cmd: skybook pipeline dag > dag.txt\n    deps: [copy.txt]\n    outs: [dag.txt]\n',
    );
    const url = pgUrlFor(schema);
    const r = await spawnSkybook(['pipeline', 'run', '--json'], { cwd: d, env: { SKYBOOK_LEDGER: url } }).done;
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(d, '.skybook', 'ledger.duckdb'))).toBe(false);
    const ledger = new RunLedger(url);
    try {
      const rows = await ledger.runs();
      expect(rows.map((x) => `${x.kind} ${x.name} ${x.status}`)).toEqual([
        'pipeline skybook.pipeline.yaml completed',
        'stage copy completed',
        'stage info completed',
      ]);
      expect(rows[1]!.parent).toBe(rows[0]!.runId);
      expect(rows[1]!.workdir).toBe(d);
      expect(rows[1]!.outputs).toEqual([{ path: 'copy.txt', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: 4 }]);
    } finally {
      await ledger.close();
    }
  });
});

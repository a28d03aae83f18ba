import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectPath, projectRoot } from '../../lib/core/index.js';

// Issue 12, item 13: nbconvert starts the kernel in notebooks/, so a notebook's `runs/survey` landed in
// notebooks/runs/; notebooks resolve their paths from the project root instead.
describe('projectRoot / projectPath', () => {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'sb-project-')));
  const project = join(base, 'clone');
  mkdirSync(join(project, 'notebooks', 'deeper'), { recursive: true });
  writeFileSync(join(project, 'package.json'), '{}');
  const loose = join(base, 'loose', 'notebooks');
  mkdirSync(loose, { recursive: true });

  it.each([
    [project, project],
    [join(project, 'notebooks'), project],
    [join(project, 'notebooks', 'deeper'), project],
    [loose, loose], // no package.json above: the folder itself
  ])('from %s the project root is %s', (from, root) => {
    expect(projectRoot(from)).toBe(root);
  });

  it('relative paths resolve from the project root, absolute ones stay', () => {
    expect(projectPath('runs/survey', join(project, 'notebooks'))).toBe(join(project, 'runs', 'survey'));
    expect(projectPath('runs/survey', project)).toBe(join(project, 'runs', 'survey'));
    expect(projectPath('/data/dr1', join(project, 'notebooks'))).toBe('/data/dr1');
    expect(projectPath('runs/survey', loose)).toBe(join(loose, 'runs', 'survey'));
  });

  it('defaults to the working directory', () => {
    expect(projectRoot()).toBe(projectRoot(process.cwd()));
  });
});

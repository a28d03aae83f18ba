#!/usr/bin/env node
/**
 * Part of `npm run build`: writes the kernel's comment-free copies of Node's type declarations (kernel/lean-types.ts).
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeLeanTypes } from '../kernel/lean-types.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const r = writeLeanTypes(root);
process.stdout.write(
  `lean types: ${r.files} declaration files, ${(r.bytesIn / 1e6).toFixed(2)} MB -> ${(r.bytesOut / 1e6).toFixed(2)} MB\n`,
);

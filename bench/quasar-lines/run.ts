// Continuum + emission-line fits (lib/quasar fitQuasar) on mock DESI quasar spectra, one thread: ms per spectrum
// (wall and CPU) against the goal of issue 15's line part, <= 1.5 ms per 7781-pixel spectrum.
// Build first: npm run build && node dist/bench/quasar-lines/run.js [--spectra 300]
import { fitQuasar } from '../../lib/quasar/index.js';
import { observedMocks } from '../../test/quasar/mock-quasars.js';

const GOAL_MS = 1.5;
const arg = process.argv.indexOf('--spectra');
const count = arg > 0 ? Number(process.argv[arg + 1]) : 300;
const mocks = observedMocks(count);
for (const m of mocks.slice(0, 50)) fitQuasar(m.spectrum, m.quasar.z); // warm-up (JIT)
const perSpectrum: number[] = [];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let complexes = 0;
for (const m of mocks) {
  const t = performance.now();
  const fit = fitQuasar(m.spectrum, m.quasar.z);
  perSpectrum.push(performance.now() - t);
  complexes += fit.complexes.length;
}
const wall = (performance.now() - t0) / mocks.length;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000 / mocks.length;
perSpectrum.sort((a, b) => a - b);
const q = (p: number) => perSpectrum[Math.min(perSpectrum.length - 1, Math.floor(p * perSpectrum.length))]!.toFixed(2);
console.log(
  `fitQuasar on ${mocks.length} mock DESI spectra (7781 pixels, ${(complexes / mocks.length).toFixed(1)} complexes each), one thread`,
);
console.log(`wall ${wall.toFixed(2)} ms/spectrum (p50 ${q(0.5)}, p90 ${q(0.9)}, max ${q(1)}), CPU ${cpuMs.toFixed(2)} ms/spectrum`);
console.log(
  `goal <= ${GOAL_MS} ms/spectrum: ${cpuMs <= GOAL_MS ? 'PASS' : 'MISS'} (CPU time; ${(1000 / cpuMs).toFixed(0)} spectra/s per thread)`,
);

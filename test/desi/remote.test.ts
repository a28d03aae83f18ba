import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dr1Location, readSpectra, spectrumAt } from '../../lib/desi/index.js';
import { TestHttpServer } from '../helpers/http-server.js';
import { mockTargetid, writeMockCoadd } from './mock-coadd.js';

const NSPEC = 300;
const dir = mkdtempSync(join(tmpdir(), 'skybook-desi-remote-'));
const file = join(dir, 'coadd-main-dark-27247.fits');
let server: TestHttpServer;

beforeAll(async () => {
  await writeMockCoadd(file, NSPEC);
  server = await TestHttpServer.start({ files: { '/coadd-main-dark-27247.fits': file } });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('spectra over HTTP', () => {
  it('reads 10 spectra by TARGETID with range reads of only those rows (< 5% of the file)', async () => {
    const picks = [3, 4, 17, 42, 99, 100, 101, 180, 250, 299];
    const want = [...picks].reverse().map(mockTargetid); // request order does not matter: file order comes back
    server.log.length = 0;
    const s = await readSpectra(server.url('/coadd-main-dark-27247.fits'), { targetids: want });
    const size = statSync(file).size;
    expect(s.nspec).toBe(10);
    expect(Array.from(s.targetids)).toEqual(picks.map(mockTargetid));
    for (const [k, i] of picks.entries()) {
      const r = spectrumAt(s, 'R', k);
      expect(r.flux[0]).toBe(i);
      expect(r.flux[5]).toBe(Math.fround(i + 5 / 10000));
      expect(r.mask[0]).toBe(2 ** 31 + 1);
      expect(r.resolution!.length).toBe(11 * 2326);
      expect(r.resolution![5 * 2326]).toBe(0.5);
    }
    expect(server.log.every((r) => r.method !== 'GET' || r.range !== undefined)).toBe(true);
    console.log(
      `fetched ${server.bytesSent} of ${size} bytes (${((100 * server.bytesSent) / size).toFixed(2)}%) in ${server.requests} requests`,
    );
    expect(server.bytesSent / size).toBeLessThan(0.05);
  });

  it("reads the same spectra through the DR1 layout resolver's s3:// object (endpoint pointed at the test server)", async () => {
    const loc = dr1Location({ survey: 'main', program: 'dark', healpix: 27247, product: 'coadd' });
    expect(loc.s3).toBe('s3://desidata/dr1/spectro/redux/iron/healpix/main/dark/272/27247/coadd-main-dark-27247.fits');
    server.setFile(`/desidata/${loc.s3.slice('s3://desidata/'.length)}`, file);
    const s = await readSpectra(loc.s3, { targetids: [mockTargetid(5)], bands: ['Z'], open: { endpoint: server.url('/') } });
    expect(s.nspec).toBe(1);
    expect(s.arms.Z!.flux[0]).toBe(5);
    expect(s.healpix).toBe(27247);
  });

  it('gives the same values as a local read', async () => {
    const ids = [mockTargetid(7), mockTargetid(8), mockTargetid(200)];
    const [remote, local] = await Promise.all([
      readSpectra(server.url('/coadd-main-dark-27247.fits'), { targetids: ids, scores: true }),
      readSpectra(file, { targetids: ids, scores: true }),
    ]);
    for (const b of ['B', 'R', 'Z']) {
      expect(Buffer.from(remote.arms[b]!.flux.buffer).equals(Buffer.from(local.arms[b]!.flux.buffer))).toBe(true);
      expect(Array.from(remote.arms[b]!.ivar)).toEqual(Array.from(local.arms[b]!.ivar));
    }
    expect(remote.scores!.getChild('MEDIAN_COADD_SNR_B')!.toArray()).toEqual(Float64Array.from([3.5, 4, 100]));
    expect({ survey: remote.survey, program: remote.program, healpix: remote.healpix }).toEqual({
      survey: 'main',
      program: 'dark',
      healpix: 27247,
    });
  });
});

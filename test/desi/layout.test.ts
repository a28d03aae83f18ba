import { describe, expect, it } from 'vitest';
import { dr1Location, locateDr1, parseDr1FileName, zallPixRelpath } from '../../lib/desi/layout.js';

describe('DR1 layout', () => {
  it.each([
    [
      { survey: 'main', program: 'dark', healpix: 27247, product: 'coadd' as const },
      'spectro/redux/iron/healpix/main/dark/272/27247/coadd-main-dark-27247.fits',
    ],
    [
      { survey: 'sv3', program: 'bright', healpix: 5, product: 'redrock' as const },
      'spectro/redux/iron/healpix/sv3/bright/0/5/redrock-sv3-bright-5.fits',
    ],
    [
      { survey: 'special', program: 'other', healpix: 49151, product: 'spectra' as const },
      'spectro/redux/iron/healpix/special/other/491/49151/spectra-special-other-49151.fits.gz',
    ],
    [
      { specprod: 'fuji', survey: 'sv1', program: 'backup', product: 'zcatalog' as const },
      'spectro/redux/fuji/zcatalog/v1/zpix-sv1-backup.fits',
    ],
  ])('resolves %j', (opts, relpath) => {
    const loc = dr1Location(opts, '/data/desi/');
    expect(loc).toEqual({
      relpath,
      local: `/data/desi/${relpath}`,
      https: `https://data.desi.lbl.gov/public/dr1/${relpath}`,
      s3: `s3://desidata/dr1/${relpath}`,
    });
  });

  it('uses $DESI_ROOT when no root is given, and gives the zall-pix path', () => {
    const saved = process.env.DESI_ROOT;
    try {
      process.env.DESI_ROOT = '/global/desi';
      expect(locateDr1(zallPixRelpath()).local).toBe('/global/desi/spectro/redux/iron/zcatalog/v1/zall-pix-iron.fits');
      delete process.env.DESI_ROOT;
      expect(locateDr1(zallPixRelpath()).local).toBeUndefined();
    } finally {
      if (saved === undefined) delete process.env.DESI_ROOT;
      else process.env.DESI_ROOT = saved;
    }
  });

  it('rejects bad names and pixels with the bad value in the message', () => {
    expect(() => dr1Location({ survey: 'mian', program: 'dark', healpix: 1, product: 'coadd' })).toThrow(/survey 'mian'/);
    expect(() => dr1Location({ survey: 'main', program: 'night', healpix: 1, product: 'coadd' })).toThrow(/program 'night'/);
    expect(() => dr1Location({ survey: 'main', program: 'dark', healpix: 49152, product: 'coadd' })).toThrow(/healpix 49152/);
    expect(() => dr1Location({ survey: 'main', program: 'dark', product: 'redrock' })).toThrow(/healpix undefined/);
    expect(() => dr1Location({ specprod: '../etc', survey: 'main', program: 'dark', healpix: 1, product: 'coadd' })).toThrow(/specprod/);
  });

  it('parses DR1 file names', () => {
    expect(parseDr1FileName('/x/redrock-special-dark-27247.fits')).toEqual({
      product: 'redrock',
      survey: 'special',
      program: 'dark',
      healpix: 27247,
    });
    expect(parseDr1FileName('spectra-main-bright-100.fits.gz')).toEqual({
      product: 'spectra',
      survey: 'main',
      program: 'bright',
      healpix: 100,
    });
    expect(parseDr1FileName('zpix-sv3-dark.fits')).toEqual({ product: 'zpix', survey: 'sv3', program: 'dark' });
    expect(parseDr1FileName('zall-pix-iron.fits')).toEqual({ product: 'zall-pix', specprod: 'iron' });
    expect(parseDr1FileName('spec-0332-52367-0639.fits')).toBeUndefined();
  });
});

import { Bitmask, defs } from './bitmask.js';

// Main-survey bits from desitarget's data/targetmask.yaml (desi_mask, bgs_mask, mws_mask, scnd_mask). Bits that
// yaml adds for the DESI-1B extension (after DR1: LGE*, MWS 20-32 and 36-54) are left out; a set bit without a name
// decodes as BIT<n>. The masks only apply to SURVEY == 'main'; SV files use the SVn_ columns with other bits.

/**
 * DESI_TARGET (int64): dark-time primary targets, calibration targets and the "any other survey" summary bits.
 *
 * @example
 * DESI_TARGET.decode((1n << 2n) | (1n << 60n)); // ['QSO', 'BGS_ANY']
 */
export const DESI_TARGET = new Bitmask(
  'DESI_TARGET',
  defs([
    ['LRG', 0, 'LRG'],
    ['ELG', 1, 'ELG'],
    ['QSO', 2, 'QSO'],
    ['QSO_HIZ', 4, 'QSO from the high-redshift random forest (informational)'],
    ['ELG_LOP', 5, 'ELG at standard priority'],
    ['ELG_HIP', 6, 'ELG promoted to LRG priority'],
    ['ELG_VLO', 7, 'very-low-priority ELG (filler)'],
    ['LRG_NORTH', 8, 'LRG, cuts for BASS/MzLS'],
    ['ELG_NORTH', 9, 'ELG, cuts for BASS/MzLS'],
    ['QSO_NORTH', 10, 'QSO, cuts for BASS/MzLS'],
    ['ELG_LOP_NORTH', 11, 'ELG_LOP, cuts for BASS/MzLS'],
    ['ELG_VLO_NORTH', 12, 'ELG_VLO, cuts for BASS/MzLS'],
    ['LRG_SOUTH', 16, 'LRG, cuts for DECam'],
    ['ELG_SOUTH', 17, 'ELG, cuts for DECam'],
    ['QSO_SOUTH', 18, 'QSO, cuts for DECam'],
    ['ELG_LOP_SOUTH', 19, 'ELG_LOP, cuts for DECam'],
    ['ELG_VLO_SOUTH', 20, 'ELG_VLO, cuts for DECam'],
    ['SKY', 32, 'blank sky location'],
    ['STD_FAINT', 33, 'standard star for dark/grey time'],
    ['STD_WD', 34, 'white-dwarf standard'],
    ['STD_BRIGHT', 35, 'standard star for bright time'],
    ['BAD_SKY', 36, 'imperfect but usable sky location'],
    ['SUPP_SKY', 37, 'Gaia-avoidance sky location (SKY set too)'],
    ['NO_TARGET', 49, 'no known target at this location'],
    ['BRIGHT_OBJECT', 50, 'known bright object to avoid'],
    ['IN_BRIGHT_OBJECT', 51, 'too near a bright object; do not observe'],
    ['NEAR_BRIGHT_OBJECT', 52, 'near a bright object but fine to observe'],
    ['BGS_ANY', 60, 'any BGS_TARGET bit is set'],
    ['MWS_ANY', 61, 'any MWS_TARGET bit is set'],
    ['SCND_ANY', 62, 'any SCND_TARGET bit is set'],
  ]),
  64,
);

/**
 * BGS_TARGET (int64): Bright Galaxy Survey targets.
 *
 * @example
 * BGS_TARGET.decode(2n); // ['BGS_BRIGHT']
 */
export const BGS_TARGET = new Bitmask(
  'BGS_TARGET',
  defs([
    ['BGS_FAINT', 0, 'BGS faint'],
    ['BGS_BRIGHT', 1, 'BGS bright'],
    ['BGS_WISE', 2, 'BGS WISE'],
    ['BGS_FAINT_HIP', 3, 'BGS faint at bright priority'],
    ['BGS_FAINT_NORTH', 8, 'BGS faint, cuts for BASS/MzLS'],
    ['BGS_BRIGHT_NORTH', 9, 'BGS bright, cuts for BASS/MzLS'],
    ['BGS_WISE_NORTH', 10, 'BGS WISE, cuts for BASS/MzLS'],
    ['BGS_FAINT_SOUTH', 16, 'BGS faint, cuts for DECam'],
    ['BGS_BRIGHT_SOUTH', 17, 'BGS bright, cuts for DECam'],
    ['BGS_WISE_SOUTH', 18, 'BGS WISE, cuts for DECam'],
  ]),
  64,
);

/**
 * MWS_TARGET (int64): Milky Way Survey targets, Gaia standards and backup-programme targets.
 *
 * @example
 * MWS_TARGET.decode(1n << 60n); // ['BACKUP_BRIGHT']
 */
export const MWS_TARGET = new Bitmask(
  'MWS_TARGET',
  defs([
    ['MWS_BROAD', 0, 'magnitude-limited bulk sample'],
    ['MWS_WD', 1, 'white dwarf'],
    ['MWS_NEARBY', 2, 'volume-complete ~100 pc sample'],
    ['MWS_BROAD_NORTH', 4, 'MWS_BROAD, cuts for BASS/MzLS'],
    ['MWS_BROAD_SOUTH', 5, 'MWS_BROAD, cuts for DECam'],
    ['MWS_BHB', 6, 'blue horizontal branch star'],
    ['MWS_MAIN_BLUE', 8, 'magnitude-limited blue sample'],
    ['MWS_MAIN_BLUE_NORTH', 9, 'MWS_MAIN_BLUE, cuts for BASS/MzLS'],
    ['MWS_MAIN_BLUE_SOUTH', 10, 'MWS_MAIN_BLUE, cuts for DECam'],
    ['MWS_MAIN_RED', 11, 'magnitude-limited red sample'],
    ['MWS_MAIN_RED_NORTH', 12, 'MWS_MAIN_RED, cuts for BASS/MzLS'],
    ['MWS_MAIN_RED_SOUTH', 13, 'MWS_MAIN_RED, cuts for DECam'],
    ['MWS_FAINT_BLUE', 14, 'faint extension, blue side'],
    ['MWS_FAINT_BLUE_NORTH', 15, 'MWS_FAINT_BLUE, BASS/MzLS'],
    ['MWS_FAINT_BLUE_SOUTH', 16, 'MWS_FAINT_BLUE, DECam'],
    ['MWS_FAINT_RED', 17, 'faint extension, red side'],
    ['MWS_FAINT_RED_NORTH', 18, 'MWS_FAINT_RED, BASS/MzLS'],
    ['MWS_FAINT_RED_SOUTH', 19, 'MWS_FAINT_RED, DECam'],
    ['GAIA_STD_FAINT', 33, 'Gaia-only standard for dark/grey time'],
    ['GAIA_STD_WD', 34, 'Gaia-only white-dwarf standard'],
    ['GAIA_STD_BRIGHT', 35, 'Gaia-only standard for bright time'],
    ['BACKUP_DIB', 57, 'backup: diffuse interstellar bands'],
    ['BACKUP_GIANT_LOP', 58, 'backup: giant candidate, low priority'],
    ['BACKUP_GIANT', 59, 'backup: giant candidate'],
    ['BACKUP_BRIGHT', 60, 'backup: bright Gaia target'],
    ['BACKUP_FAINT', 61, 'backup: fainter Gaia target'],
    ['BACKUP_VERY_FAINT', 62, 'backup: even fainter Gaia target'],
  ]),
  64,
);

/**
 * SCND_TARGET (int64): main-survey secondary programmes and targets of opportunity (bit 9 is unused).
 *
 * @example
 * SCND_TARGET.decode(1n << 36n); // ['Z5_QSO']
 */
export const SCND_TARGET = new Bitmask(
  'SCND_TARGET',
  defs([
    ['VETO', 0, 'secondary programme VETO'],
    ['UDG', 1, 'secondary programme UDG'],
    ['FIRST_MALS', 2, 'secondary programme FIRST_MALS'],
    ['BROAD_STARFORM', 3, 'secondary programme BROAD_STARFORM'],
    ['DESI_STRONG_LENS', 4, 'secondary programme DESI_STRONG_LENS'],
    ['QSO_RED', 5, 'secondary programme QSO_RED'],
    ['QSO_RED_FAINT', 6, 'secondary programme QSO_RED_FAINT'],
    ['GAIAXPEMP_BACKUP', 7, 'secondary programme GAIAXPEMP_BACKUP'],
    ['GAIAXPEMP_BRIGHT', 8, 'secondary programme GAIAXPEMP_BRIGHT'],
    ['MWS_CLUS_GAL_DEEP', 10, 'secondary programme MWS_CLUS_GAL_DEEP'],
    ['LOW_MASS_AGN', 11, 'secondary programme LOW_MASS_AGN'],
    ['FAINT_HPM', 12, 'secondary programme FAINT_HPM'],
    ['MERIAN', 13, 'secondary programme MERIAN'],
    ['LOW_Z_TIER0', 14, 'secondary programme LOW_Z_TIER0'],
    ['LOW_Z_TIER1', 15, 'secondary programme LOW_Z_TIER1'],
    ['LOW_Z_TIER2', 16, 'secondary programme LOW_Z_TIER2'],
    ['LOW_Z_TIER3', 17, 'secondary programme LOW_Z_TIER3'],
    ['BHB', 18, 'secondary programme BHB'],
    ['SPCV', 19, 'secondary programme SPCV'],
    ['DC3R2_GAMA', 20, 'secondary programme DC3R2_GAMA'],
    ['MIR_OBSCURED_AGN', 21, 'secondary programme MIR_OBSCURED_AGN'],
    ['MOST_HOSTS_2024', 22, 'secondary programme MOST_HOSTS_2024'],
    ['RRL_EXTRA_BRIGHT', 23, 'secondary programme RRL_EXTRA_BRIGHT'],
    ['RRL_EXTRA_DARK', 24, 'secondary programme RRL_EXTRA_DARK'],
    ['PSF_OUT_BRIGHT', 25, 'secondary programme PSF_OUT_BRIGHT'],
    ['PSF_OUT_DARK', 26, 'secondary programme PSF_OUT_DARK'],
    ['HPM_SOUM', 27, 'secondary programme HPM_SOUM'],
    ['SN_HOSTS', 28, 'secondary programme SN_HOSTS'],
    ['GAL_CLUS_BCG', 29, 'secondary programme GAL_CLUS_BCG'],
    ['GAL_CLUS_2ND', 30, 'secondary programme GAL_CLUS_2ND'],
    ['GAL_CLUS_SAT', 31, 'secondary programme GAL_CLUS_SAT'],
    ['MWS_FAINT_BLUE', 32, 'secondary programme MWS_FAINT_BLUE'],
    ['MWS_FAINT_RED', 33, 'secondary programme MWS_FAINT_RED'],
    ['STRONG_LENS', 34, 'secondary programme STRONG_LENS'],
    ['WISE_VAR_QSO', 35, 'secondary programme WISE_VAR_QSO'],
    ['Z5_QSO', 36, 'secondary programme Z5_QSO'],
    ['MWS_RR_LYRAE', 37, 'secondary programme MWS_RR_LYRAE'],
    ['MWS_MAIN_CLUSTER_SV', 38, 'secondary programme MWS_MAIN_CLUSTER_SV'],
    ['RVREPEAT', 39, 'secondary programme RVREPEAT'],
    ['BRIGHT_HPM', 40, 'secondary programme BRIGHT_HPM'],
    ['WD_BINARIES_BRIGHT', 41, 'secondary programme WD_BINARIES_BRIGHT'],
    ['WD_BINARIES_DARK', 42, 'secondary programme WD_BINARIES_DARK'],
    ['PV_BRIGHT_HIGH', 43, 'secondary programme PV_BRIGHT_HIGH'],
    ['PV_BRIGHT_MEDIUM', 44, 'secondary programme PV_BRIGHT_MEDIUM'],
    ['PV_BRIGHT_LOW', 45, 'secondary programme PV_BRIGHT_LOW'],
    ['PV_DARK_HIGH', 46, 'secondary programme PV_DARK_HIGH'],
    ['PV_DARK_MEDIUM', 47, 'secondary programme PV_DARK_MEDIUM'],
    ['PV_DARK_LOW', 48, 'secondary programme PV_DARK_LOW'],
    ['GC_BRIGHT', 49, 'secondary programme GC_BRIGHT'],
    ['GC_DARK', 50, 'secondary programme GC_DARK'],
    ['DWF_BRIGHT_HI', 51, 'secondary programme DWF_BRIGHT_HI'],
    ['DWF_BRIGHT_LO', 52, 'secondary programme DWF_BRIGHT_LO'],
    ['DWF_DARK_HI', 53, 'secondary programme DWF_DARK_HI'],
    ['DWF_DARK_LO', 54, 'secondary programme DWF_DARK_LO'],
    ['UCD', 55, 'secondary programme UCD'],
    ['WD_BACKUP', 56, 'secondary programme WD_BACKUP'],
    ['WD_BRIGHT', 57, 'secondary programme WD_BRIGHT'],
    ['WD_DARK', 58, 'secondary programme WD_DARK'],
    ['BRIGHT_TOO_LOP', 59, 'target of opportunity (bright too lop)'],
    ['BRIGHT_TOO_HIP', 60, 'target of opportunity (bright too hip)'],
    ['DARK_TOO_LOP', 61, 'target of opportunity (dark too lop)'],
    ['DARK_TOO_HIP', 62, 'target of opportunity (dark too hip)'],
  ]),
  64,
);

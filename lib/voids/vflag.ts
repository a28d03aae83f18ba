/**
 * VAST's galaxy environment flags (vflag): 0 wall (inside the survey, in no void hole, not near its edge), 1 void
 * (inside at least one hole), 2 edge (within 10 Mpc/h of the survey boundary, so its environment cannot be told),
 * 9 outside the survey mask or distance limits (and, in skybook, rows without a usable redshift).
 *
 * @example
 * if (flags[i] === VFLAG.void) voidCount++;
 */
export const VFLAG = Object.freeze({ wall: 0, void: 1, edge: 2, outside: 9 } as const);

/**
 * One vflag value.
 *
 * @example
 * const f: VFlag = VFLAG.edge;
 */
export type VFlag = (typeof VFLAG)[keyof typeof VFLAG];

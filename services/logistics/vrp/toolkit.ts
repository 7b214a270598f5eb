import { checkSolution } from './checker.js';
import { parseFormat, readInstanceFile } from './readers.js';
import { solveInstance } from './solver/solve.js';

/**
 * The stateless vehicle-routing toolkit (readers, solver, independent checker). It needs no service deps, so the
 * CLI and the benchmarks use it without building a whole logistics service.
 */
export function createVrpToolkit() {
  return { readInstanceFile, parseFormat, solve: solveInstance, check: checkSolution };
}
export type VrpToolkit = ReturnType<typeof createVrpToolkit>;

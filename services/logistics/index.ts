export { createLogisticsService, DEFAULT_LOGISTICS_CONFIG } from './dispatch/logistics-service.js';
export type { LogisticsService, LogisticsDeps, LogisticsConfig, OptimizeResult } from './dispatch/logistics-service.js';
export type { TravelMatrix } from './dispatch/build-instance.js';
export { createVrpToolkit } from './vrp/toolkit.js';
export type { VrpToolkit } from './vrp/toolkit.js';
export type { VrpInstance, ExternalSolution, ExternalRoute, JobSpec, VehicleSpec, StopSpec } from './vrp/types.js';
export type { SolveOptions, SolveResult } from './vrp/solver/solve.js';
export type { CheckReport } from './vrp/checker.js';

export { assign, type AssignOptions, type AssignResult, type AssignmentAlgorithm, type IterationInfo } from './assign.js';
export { assignRoadNetwork, type AssignRoadNetworkOptions, type RoadAssignmentResult, type RoadDemand } from './assign-road-network.js';
export { createAssignmentNetwork, DEFAULT_BPR_ALPHA, DEFAULT_BPR_BETA, type AssignmentNetwork, type AssignmentNetworkSpec } from './network.js';
export { assignmentNetworkFromTntp } from './tntp-network.js';
export { assignmentNetworkFromRoad, type RoadZone, type RoadAssignmentNetworkOptions } from './road-network-adapter.js';
export { demandFromTriples, type AssignmentDemand, type ClassDemand, type VehicleClass, type OdTriple } from './demand.js';
export { beckmann, linkTime, linkTimeDerivative, linkTimeIntegral } from './bpr.js';
export type { BushState } from './algorithm-b.js';

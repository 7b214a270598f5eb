export { createRoutingService } from './create-routing-service.js';
export type { RoutingService, RoutingServiceDeps, RoutingStats, GuidanceListener, GuidanceSession } from './routing-service.js';

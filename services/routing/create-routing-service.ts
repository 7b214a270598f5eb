import { createRoutingServiceImpl, type RoutingService, type RoutingServiceDeps } from './routing-service.js';

/** The routing service's front door (see docs/routing.md). */
export function createRoutingService(deps: RoutingServiceDeps): RoutingService {
  return createRoutingServiceImpl(deps);
}

import { createSignage, type SignageDeps } from './signage-service.js';

export type { SignageDeps, SignageService, Actor, StateListener } from './signage-service.js';
export type { SignageConfig } from './config.js';

/** The signage service: sign registry, message sources, priority arbitration, approvals and audit. */
export function createSignageService(deps: SignageDeps) {
  return createSignage(deps);
}

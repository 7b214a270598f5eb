/** The signage service: sign registry, message sources, priority arbitration, approvals and audit. */
export { createSignageService } from './signage-service.js';
export type { SignageDeps, SignageService, Actor, StateListener } from './signage-service.js';
export type { SignageConfig } from './config.js';

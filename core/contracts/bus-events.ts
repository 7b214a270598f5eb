/**
 * Every bus topic and its payload. Each service's contracts file defines its payload types;
 * this map only names the topics. Add a topic here when you add one to a contracts file.
 */
export interface BusEvents {
  /** live travel times changed: edge ids past the publish threshold, with the new state */
  /** seconds is Infinity for a closed edge (closed: true); JSON carriers should send null */
  'traffic:update': { version: number; at: number; edges: { edge: number; seconds: number; speedKmh: number; level: 'free' | 'slow' | 'congested' | 'jammed'; closed?: boolean }[] };
  'traffic:incident': { action: 'opened' | 'updated' | 'cleared' | 'expired'; incident: { id: string; edges: number[]; lon: number; lat: number; kind: string; severity: number; closed: boolean; description?: string; expiresAt?: number } };
  'traffic:forecast': { at: number; horizonsMinutes: number[] };
  'logistics:plan': { hubId: string; version: number; vehicleIds: string[] };
  /** a sign's display or candidate messages changed (origin: the process that changed it) */
  'signage:state': { signId: string; version: number; origin?: string };
  'gtfs:realtime': { at: number; tripIds: string[] };
}

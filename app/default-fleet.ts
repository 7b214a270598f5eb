import type { HubInput, VehicleInput } from '../core/contracts/logistics.js';

/**
 * A starting fleet for the embedded Rhein-Neckar city, so a fresh `npm start` can take orders
 * at once: three hubs on truck-usable roads (Mannheim harbour, Ludwigshafen, Heidelberg) with
 * vans and trucks. Registered only when the store has no fleet yet; dispatchers change it
 * through POST /api/hubs and POST /api/vehicles.
 */
export function defaultRheinNeckarFleet(now: number): { hubs: HubInput[]; vehicles: VehicleInput[] } {
  const shift: [number, number] = [now - 3600_000, now + 30 * 24 * 3600_000];
  const hubs: HubInput[] = [
    { id: 'hub-mannheim', name: 'Mannheim Hafen', location: [8.4815, 49.5138], docks: 8 },
    { id: 'hub-ludwigshafen', name: 'Ludwigshafen', location: [8.4001, 49.47], docks: 4 },
    { id: 'hub-heidelberg', name: 'Heidelberg Pfaffengrund', location: [8.6399, 49.4002], docks: 4 },
  ];
  const vehicles: VehicleInput[] = [];
  for (const hub of hubs) {
    for (let i = 1; i <= 2; i++) {
      vehicles.push({ id: `${hub.id.slice(4)}-van-${i}`, hubId: hub.id, mode: 'car', capacity: { kg: 900, m3: 8 }, shift, costPerKm: 0.4, fixedCost: 40 });
    }
    vehicles.push({ id: `${hub.id.slice(4)}-truck-1`, hubId: hub.id, mode: 'truck', capacity: { kg: 7500, m3: 40 }, shift, skills: ['refrigerated'], costPerKm: 0.9, fixedCost: 120 });
  }
  return { hubs, vehicles };
}

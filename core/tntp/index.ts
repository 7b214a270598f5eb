export { parseTntpNet, type TntpNet, type TntpNetMetadata, type TntpLink } from './parse-net.js';
export { parseTntpTrips, tripsToTriples, type TntpTrips } from './parse-trips.js';
export { parseTntpFlow, formatTntpFlow, type TntpFlowRow } from './parse-flow.js';
export { parseTntpNodes, type TntpNode } from './parse-nodes.js';

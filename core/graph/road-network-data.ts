/**
 * The columns of a road network: plain typed arrays indexed by dense node and edge ids.
 * This is what the snapshot stores and what hot loops read. Edge i goes from edgeFrom[i]
 * to edgeTo[i]; its shape (both end points included) is
 * geomCoords[2*geomOffsets[i] .. 2*geomOffsets[i+1]) as lon,lat pairs.
 */
/** Numbers per turn restriction in RoadNetworkData.turnRestrictions. */
export const TURN_RESTRICTION_STRIDE = 4;

export interface RoadNetworkData {
  nodeCount: number;
  edgeCount: number;
  nodeLon: Float64Array;
  nodeLat: Float64Array;
  /** id in the source data (OSM node id, TNTP node number); -1 when none */
  nodeExternalId: Float64Array;

  edgeFrom: Uint32Array;
  edgeTo: Uint32Array;
  /** metres */
  edgeLength: Float64Array;
  /** free-flow travel time for motor vehicles, seconds (TNTP: the file's free-flow time) */
  edgeFreeFlowSeconds: Float64Array;
  edgeSpeedKmh: Float32Array;
  edgeLanes: Uint8Array;
  /** vehicles per hour, whole edge (all lanes) */
  edgeCapacity: Float64Array;
  /** MODE bits allowed on this direction */
  edgeModes: Uint8Array;
  /** index into ROAD_CLASSES */
  edgeRoadClass: Uint8Array;
  /** tonnes; 0 = no limit */
  edgeMaxWeight: Float32Array;
  /** metres; 0 = no limit */
  edgeMaxHeight: Float32Array;
  /** indexes into strings ('' at 0) */
  edgeName: Uint32Array;
  edgeRef: Uint32Array;
  /** BPR alpha and beta (TNTP "b" and "power"); defaults 0.15 and 4 */
  edgeBprAlpha: Float32Array;
  edgeBprBeta: Float32Array;
  edgeToll: Float32Array;
  /** id of the way or link in the source data; -1 when none */
  edgeExternalId: Float64Array;

  geomOffsets: Uint32Array;
  geomCoords: Float64Array;

  /**
   * Turn restrictions, TURN_RESTRICTION_STRIDE (4) numbers each: fromEdge, viaNode, toEdge, modes.
   * A search must not continue from fromEdge onto toEdge at viaNode when travelling in one of
   * `modes` (MODE bits). "only_*" restrictions are stored expanded into the bans they imply.
   * Optional: absent or empty means none (see docs/graph.md).
   */
  turnRestrictions?: Uint32Array;

  strings: string[];
  /** free-form facts about the source (file name, import time, counts per mode ...) */
  meta: Record<string, unknown>;
}

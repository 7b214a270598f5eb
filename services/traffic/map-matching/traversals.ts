import type { RoadNetwork } from '../../../core/graph/index.js';
import type { MatchedPoint } from './hmm-matcher.js';

/** Time a vehicle spent on one whole edge. */
export interface TravelTimeObservation {
  edge: number;
  /** ms since the epoch at which the vehicle entered and left the edge (interpolated) */
  enter: number;
  exit: number;
  seconds: number;
}

/** Per vehicle: the edge it is on and when it entered it (NaN: entry not seen). */
export interface TraversalState {
  edge: number;
  offset: number;
  time: number;
  enteredAt: number;
}

export function newTraversalState(): TraversalState {
  return { edge: -1, offset: 0, time: 0, enteredAt: NaN };
}

/**
 * Turns consecutive matched points into travel times of fully traversed edges. Between two
 * points the vehicle is assumed to drive the matched route at constant speed, so the moment it
 * crosses each node is interpolated by distance. An edge yields an observation only when both its
 * entry and its exit were crossed inside a matched trace (the first and last edges of a trace
 * are partial and yield nothing).
 */
export function advanceTraversal(
  network: RoadNetwork,
  st: TraversalState,
  p: MatchedPoint,
  out: (o: TravelTimeObservation) => void,
): void {
  const len = network.data.edgeLength;
  if (p.startsTrace || st.edge < 0) {
    st.edge = p.edge;
    st.offset = p.offset;
    st.time = p.time;
    st.enteredAt = NaN;
    return;
  }
  if (p.edge === st.edge && p.path.length === 0) {
    st.offset = Math.max(st.offset, p.offset);
    st.time = p.time;
    return;
  }
  // distance along the route: rest of the current edge, every edge in between, into the new edge
  const first = Math.max(0, len[st.edge] - st.offset);
  let total = first + p.offset;
  for (const e of p.path) total += len[e];
  const dt = p.time - st.time;
  const msPerMetre = total > 0 ? dt / total : 0;
  let cursor = st.time + first * msPerMetre;
  if (!Number.isNaN(st.enteredAt)) emit(st.edge, st.enteredAt, cursor, out);
  for (const e of p.path) {
    const exit = cursor + len[e] * msPerMetre;
    emit(e, cursor, exit, out);
    cursor = exit;
  }
  st.edge = p.edge;
  st.offset = p.offset;
  st.time = p.time;
  st.enteredAt = cursor;
}

function emit(edge: number, enter: number, exit: number, out: (o: TravelTimeObservation) => void): void {
  const seconds = (exit - enter) / 1000;
  if (seconds > 0) out({ edge, enter, exit, seconds });
}

/**
 * Every tunable of the traffic service in one commented object. createTrafficService takes a
 * partial override; nothing else in the folder hard-codes these numbers.
 */
export interface TrafficConfig {
  matching: {
    /** GPS noise, metres: the emission is a Gaussian of the ping-to-road distance (Newson & Krumm: 4.07 m) */
    sigmaMetres: number;
    /** transition: exponential of |route distance - straight distance| with this scale, metres */
    betaMetres: number;
    /** candidate roads within this radius of a ping, metres */
    searchRadiusMetres: number;
    /** at most this many candidates per ping (nearest first) */
    maxCandidates: number;
    /** pings closer than this to the last kept ping are skipped (a standing vehicle adds nothing; N&K use 2 sigma) */
    minMoveMetres: number;
    /** undecided Viterbi steps kept per vehicle before the oldest is forced (the online window) */
    windowSteps: number;
    /** a gap longer than this breaks the trace (a new HMM starts), seconds */
    maxGapSeconds: number;
    /** route searches stop beyond straight distance x this factor + 2 x search radius, metres */
    routeDetourFactor: number;
    /** transitions implying a speed above this are impossible, m/s */
    maxSpeedMps: number;
    /** a fix's heading (when given) adds weight x (1 - cos(angle to the road's direction)) to the emission cost */
    headingWeight: number;
    /** ... only when the vehicle moves at least this fast (a standing GPS heading is noise), m/s */
    headingMinSpeedMps: number;
    /** a U-turn (driving back along the edge just driven) counts as this many extra metres of route:
     *  GPS jitter near a junction otherwise reads as "drove past it and came back" */
    uTurnPenaltyMetres: number;
    /** a candidate may lie this far behind the previous one on the same edge (GPS jitter), metres */
    backwardToleranceMetres: number;
    /** vehicles silent this long are forgotten (their state freed), seconds */
    vehicleIdleSeconds: number;
  };
  filter: {
    /** decay of an edge's deviation from its prior (Ornstein-Uhlenbeck time constant), seconds */
    decaySeconds: number;
    /** prior spread of log travel time (0.5: a factor e^0.5 = 1.65 either way is one sigma) */
    priorSigmaLog: number;
    /** one probe traversal's noise in log travel time */
    probeSigmaLog: number;
    /** one detector interval's noise in log travel time (point speed, so a bit better than one probe) */
    detectorSigmaLog: number;
    /** innovation gate in standard deviations: observations past it are rejected */
    gateSigmas: number;
    /** this many consecutive gated observations pointing the same way mean the edge really changed: reset and accept */
    resetAfterRejections: number;
    /** an observation faster than free flow / this factor is physically implausible and dropped */
    maxSpeedOverFreeFlow: number;
    /** the same for a detector interval: a mean over minutes far above the road's free-flow speed is a fault */
    detectorMaxSpeedOverFreeFlow: number;
    /** an edge whose state is this close to its prior (log) and whose confidence fell below minConfidence goes idle */
    idleLogEpsilon: number;
    minConfidence: number;
  };
  profile: {
    /** time-of-day bins per day (96 = 15 minutes) */
    binsPerDay: number;
    /** observations a bin needs before it serves as the prior */
    minSamples: number;
    /** the learnt profile is saved to the store this often (and on stop), minutes; 0 = only on stop */
    saveEveryMinutes: number;
  };
  levels: {
    /** speed / free-flow speed at or above which an edge is 'free' */
    free: number;
    /** ... 'slow' at or above this, 'congested' at or above `congested`, else 'jammed' */
    slow: number;
    congested: number;
  };
  publish: {
    /** an edge's live time is re-written (and published) when it moved by more than this fraction ... */
    relativeThreshold: number;
    /** ... and by more than this many seconds (a closure or re-opening is always published) */
    absoluteSecondsThreshold: number;
  };
  detectors: {
    /** a detector's flow counts for volume/capacity this long after its reading, seconds */
    flowValiditySeconds: number;
    /** effective vehicle length for speed from flow and occupancy, metres */
    effectiveVehicleLengthMetres: number;
  };
  incidents: {
    /** travel-time factor per blocked lane share: time x (1 + this x blocked/lanes) x severity factor */
    laneBlockFactor: number;
    /** extra factor per severity step above 1 */
    severityFactor: number;
  };
  assignment: {
    /** relative gap the re-assignment stops at */
    gap: number;
    /** wall-clock bound of one re-assignment run (it holds the event loop), seconds */
    maxSeconds: number;
  };
  forecast: {
    /** one history row per this many minutes: the forecast job's cron must run at this step */
    stepMinutes: number;
    horizonsMinutes: number[];
    /** history needed before the first training, hours (the module learns time-of-day profiles) */
    minHistoryHours: number;
    retrainEveryHours: number;
    maxHistoryHours: number;
  };
  probes: {
    /** pings stamped further ahead of the service clock than this are refused, seconds (clock skew) */
    maxFutureSeconds: number;
    /** pings older than this are refused, seconds */
    maxAgeSeconds: number;
  };
  schedules: {
    /** node-cron expressions (6 fields = with seconds); empty string disables a job */
    estimation: string;
    assignment: string;
    forecast: string;
    /** when false, start() does not arm cron at all (tests drive tick() by hand) */
    enabled: boolean;
  };
}

export const DEFAULT_TRAFFIC_CONFIG: TrafficConfig = {
  matching: {
    sigmaMetres: 6,
    betaMetres: 6,
    searchRadiusMetres: 40,
    maxCandidates: 8,
    minMoveMetres: 8,
    windowSteps: 8,
    maxGapSeconds: 90,
    routeDetourFactor: 2.5,
    maxSpeedMps: 70,
    backwardToleranceMetres: 30,
    uTurnPenaltyMetres: 200,
    headingWeight: 3,
    headingMinSpeedMps: 2,
    vehicleIdleSeconds: 600,
  },
  filter: {
    decaySeconds: 900,
    priorSigmaLog: 0.5,
    probeSigmaLog: 0.2,
    detectorSigmaLog: 0.15,
    gateSigmas: 3,
    resetAfterRejections: 3,
    maxSpeedOverFreeFlow: 2.5,
    detectorMaxSpeedOverFreeFlow: 1.4,
    idleLogEpsilon: 0.01,
    minConfidence: 0.02,
  },
  profile: { binsPerDay: 96, minSamples: 20, saveEveryMinutes: 15 },
  levels: { free: 0.75, slow: 0.5, congested: 0.25 },
  publish: { relativeThreshold: 0.02, absoluteSecondsThreshold: 0.5 },
  detectors: { flowValiditySeconds: 600, effectiveVehicleLengthMetres: 6.5 },
  incidents: { laneBlockFactor: 2, severityFactor: 0.15 },
  assignment: { gap: 1e-4, maxSeconds: 10 },
  forecast: { stepMinutes: 5, horizonsMinutes: [15, 30, 60], minHistoryHours: 24, retrainEveryHours: 24, maxHistoryHours: 96 },
  probes: { maxFutureSeconds: 300, maxAgeSeconds: 86_400 },
  schedules: {
    estimation: '*/5 * * * * *',
    assignment: '*/15 * * * *',
    forecast: '*/5 * * * *',
    enabled: true,
  },
};

export type TrafficConfigOverride = { [K in keyof TrafficConfig]?: Partial<TrafficConfig[K]> };

export function resolveTrafficConfig(override: TrafficConfigOverride = {}): TrafficConfig {
  const out = structuredClone(DEFAULT_TRAFFIC_CONFIG);
  for (const key of Object.keys(override) as (keyof TrafficConfig)[]) {
    Object.assign(out[key], override[key]);
  }
  return out;
}

import type { AssignmentNetwork } from './network.js';

/**
 * BPR link performance: t(x) = fft * (1 + alpha * (x/cap)^beta), its derivative and its
 * integral (the Beckmann term). beta = 4 (the usual case) avoids Math.pow.
 */
export function linkTime(net: AssignmentNetwork, a: number, x: number): number {
  const al = net.alpha[a];
  if (al === 0) return net.freeFlowTime[a];
  const r = x / net.capacity[a];
  const b = net.beta[a];
  const p = b === 4 ? r * r * r * r : b === 1 ? r : Math.pow(r, b);
  return net.freeFlowTime[a] * (1 + al * p);
}

export function linkTimeDerivative(net: AssignmentNetwork, a: number, x: number): number {
  const al = net.alpha[a];
  const b = net.beta[a];
  if (al === 0 || b === 0) return 0;
  const cap = net.capacity[a];
  const r = x / cap;
  const p = b === 4 ? r * r * r : b === 1 ? 1 : Math.pow(r, b - 1);
  return (net.freeFlowTime[a] * al * b * p) / cap;
}

/** Integral of t from 0 to x. */
export function linkTimeIntegral(net: AssignmentNetwork, a: number, x: number): number {
  const fft = net.freeFlowTime[a];
  const al = net.alpha[a];
  if (al === 0) return fft * x;
  const b = net.beta[a];
  const r = x / net.capacity[a];
  const p = b === 4 ? r * r * r * r : Math.pow(r, b);
  return fft * x * (1 + (al * p) / (b + 1));
}

/** Beckmann objective sum_a int_0^x_a t_a. */
export function beckmann(net: AssignmentNetwork, x: Float64Array): number {
  let s = 0;
  for (let a = 0; a < net.linkCount; a++) s += linkTimeIntegral(net, a, x[a]);
  return s;
}

export function fillTimes(net: AssignmentNetwork, x: Float64Array, t: Float64Array, dt?: Float64Array): void {
  for (let a = 0; a < net.linkCount; a++) {
    t[a] = linkTime(net, a, x[a]);
    if (dt) dt[a] = linkTimeDerivative(net, a, x[a]);
  }
}

/** Who may call what. Devices (sign, vehicle) carry their id in the token's `sub`. */
export const ROLES = ['viewer', 'traveller', 'driver', 'dispatcher', 'operator', 'admin', 'sign', 'vehicle'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export interface TokenClaims {
  role: Role;
  /** device or user id; required for sign and vehicle tokens */
  sub?: string;
  /** expiry, seconds since the epoch */
  exp: number;
  /** issued at, seconds since the epoch */
  iat: number;
}

import type { CliIo } from '../cli-io.js';
import { parseCliArgs, numberOption } from '../cli-io.js';
import { loadConfig } from '../../../core/config/index.js';
import { createTokenSigner, isRole, ROLES } from '../../../core/auth/index.js';
import { UrbanflowError } from '../../../core/errors/index.js';

/** urbanflow token --role ROLE [--id DEVICE_ID] [--ttl SECONDS] [--config FILE] [--json] */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCliArgs(argv, {
    role: { type: 'string' },
    id: { type: 'string' },
    ttl: { type: 'string' },
    config: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.stdout(`usage: urbanflow token --role ROLE [--id DEVICE_ID] [--ttl SECONDS] [--json]\nroles: ${ROLES.join(', ')}\nsigned with URBANFLOW_TOKEN_SECRET (or tokenSecret in the config file)`);
    return 0;
  }
  const role = values.role;
  if (!role) throw new UrbanflowError('INVALID_INPUT', `--role is required (one of ${ROLES.join(', ')})`, { field: 'role' });
  if (!isRole(role)) throw new UrbanflowError('INVALID_INPUT', `--role must be one of ${ROLES.join(', ')}, got '${role}'`, { field: 'role' });
  if ((role === 'sign' || role === 'vehicle') && !values.id) throw new UrbanflowError('INVALID_INPUT', `--id is required for role ${role} (the device id)`, { field: 'id' });
  const ttl = numberOption(values.ttl, 'ttl', 24 * 3600);
  const config = loadConfig({ file: values.config });
  if (!config.tokenSecret) {
    throw new UrbanflowError('CONFIG', 'no token secret configured: set URBANFLOW_TOKEN_SECRET (the server must use the same one)', { field: 'URBANFLOW_TOKEN_SECRET' });
  }
  const signer = createTokenSigner(config.tokenSecret);
  const token = signer.sign(role, { sub: values.id, ttlSeconds: ttl });
  const claims = signer.verify(token);
  if (values.json) io.stdout(JSON.stringify({ token, role: claims.role, sub: claims.sub ?? null, expiresAt: new Date(claims.exp * 1000).toISOString() }));
  else io.stdout(token);
  return 0;
}

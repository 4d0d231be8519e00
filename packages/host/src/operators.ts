import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaRegistry } from '@pdx/contracts';
import { generateSigningKey, type PrivateJwk, publicPart } from '@pdx/crypto';
import type { Operator } from '@pdx/http';
import { type ConfigReader, type Logger, RuntimeError } from '@pdx/runtime';

/** The operator created for `npm start` when none is configured. */
export const BOOTSTRAP_OPERATOR_ID = 'operator';
export const BOOTSTRAP_OPERATOR_KEY_FILE = 'operator.key.json';

/**
 * Operators come from PDX_OPERATORS (JSON) or PDX_OPERATORS_FILE (a path to the same JSON):
 * `[{ "id": "ops-1", "jwks": { "keys": [<public JWK>, …] } }]`. Public keys only.
 */
export function loadOperators(config: ConfigReader, registry: SchemaRegistry): Operator[] {
  const inline = config.optionalString('PDX_OPERATORS');
  const file = config.optionalString('PDX_OPERATORS_FILE');
  if (inline && file)
    throw new RuntimeError('PDX_CONFIG_INVALID', 'set PDX_OPERATORS or PDX_OPERATORS_FILE, not both');
  const name = inline ? 'PDX_OPERATORS' : 'PDX_OPERATORS_FILE';
  const text = inline ?? (file ? readFileSync(file, 'utf8') : undefined);
  if (text === undefined) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RuntimeError('PDX_CONFIG_INVALID', `${name} is not JSON`, { cause: error });
  }
  if (!Array.isArray(value))
    throw new RuntimeError('PDX_CONFIG_INVALID', `${name} must be a JSON array of operators`);
  return value.map((op: unknown, i) => {
    const o = op as { id?: unknown; jwks?: { keys?: unknown[] } };
    if (typeof o?.id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,62}$/.test(o.id)) {
      throw new RuntimeError('PDX_CONFIG_INVALID', `${name}[${i}].id must be a lower-case id`);
    }
    if (o.jwks?.keys?.some((k) => k !== null && typeof k === 'object' && 'd' in k)) {
      throw new RuntimeError(
        'PDX_CONFIG_INVALID',
        `${name}[${i}] holds a private key: configure public keys only`,
      );
    }
    const violations = registry.check('urn:pdx:schema:common:jwks.v1', o.jwks);
    if (violations.length > 0) {
      throw new RuntimeError(
        'PDX_CONFIG_INVALID',
        `${name}[${i}].jwks${violations[0]!.pointer} ${violations[0]!.detail}`,
      );
    }
    return { id: o.id, jwks: o.jwks } as Operator;
  });
}

/**
 * For the embedded quick start only: an operator key pair kept in the data directory (mode
 * 0600), so `npm start` can be used at once. Production configures its operators instead.
 */
export async function bootstrapOperator(dataDir: string, logger: Logger): Promise<Operator> {
  const file = join(dataDir, BOOTSTRAP_OPERATOR_KEY_FILE);
  let privateJwk: PrivateJwk;
  if (existsSync(file)) {
    privateJwk = JSON.parse(readFileSync(file, 'utf8')) as PrivateJwk;
  } else {
    ({ privateJwk } = await generateSigningKey('EdDSA', 'operator-1'));
    writeFileSync(file, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    logger.info({ file }, 'created an operator key for the embedded exchange');
  }
  return { id: BOOTSTRAP_OPERATOR_ID, jwks: { keys: [publicPart(privateJwk)] } };
}

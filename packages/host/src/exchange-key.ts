import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type ExchangeSigner, generateSigningKey, type PrivateJwk, publicPart } from '@pdx/crypto';
import type { ConfigReader, Logger } from '@pdx/runtime';
import { importJWK } from 'jose';

export const EXCHANGE_KEY_FILE = 'exchange.key.json';

/**
 * The exchange's own signing key (webhooks, status answers, Statements of Application; its
 * public half is published at /.well-known/jwks.json):
 * PDX_EXCHANGE_KEY (a private JWK), or the file PDX_EXCHANGE_KEY_FILE — created there
 * (mode 0600) if missing, so replicas sharing a volume share the key — or, in embedded
 * mode, `exchange.key.json` in the data directory. Production without either is refused:
 * replicas with keys of their own would sign with keys nobody can find.
 */
export async function loadExchangeKey(
  config: ConfigReader,
  mode: 'production' | 'embedded',
  dataDir: string,
  logger: Logger,
): Promise<{ signer: ExchangeSigner; publicJwk: ReturnType<typeof publicPart> }> {
  const inline = config.optionalString('PDX_EXCHANGE_KEY');
  let privateJwk: PrivateJwk;
  if (inline !== undefined) {
    privateJwk = parse(inline, 'PDX_EXCHANGE_KEY');
  } else {
    const configured = config.optionalString('PDX_EXCHANGE_KEY_FILE');
    if (configured === undefined && mode === 'production') {
      throw new TypeError(
        'set PDX_EXCHANGE_KEY_FILE (or PDX_EXCHANGE_KEY): the alerts service signs webhooks with it',
      );
    }
    const file = configured ?? join(dataDir, EXCHANGE_KEY_FILE);
    if (existsSync(file)) {
      privateJwk = parse(readFileSync(file, 'utf8'), file);
    } else {
      ({ privateJwk } = await generateSigningKey(
        'EdDSA',
        `exchange-${new Date().toISOString().slice(0, 10)}`,
      ));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
      chmodSync(file, 0o600);
      logger.info({ file }, 'created the exchange signing key');
    }
  }
  const alg = privateJwk.kty === 'EC' ? 'ES256' : 'EdDSA';
  const key = (await importJWK({ ...privateJwk }, alg)) as ExchangeSigner['key'];
  return { signer: { key, kid: privateJwk.kid, alg }, publicJwk: publicPart(privateJwk) };
}

function parse(text: string, where: string): PrivateJwk {
  let jwk: PrivateJwk;
  try {
    jwk = JSON.parse(text) as PrivateJwk;
  } catch {
    throw new TypeError(`${where} is not a JSON private key`);
  }
  if (typeof jwk.d !== 'string' || typeof jwk.kid !== 'string') {
    throw new TypeError(`${where} is not a private JWK with a kid (make one with \`pdx keygen\`)`);
  }
  return jwk;
}

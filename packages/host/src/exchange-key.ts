import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type ExchangeSigner, generateSigningKey, type PrivateJwk, publicPart } from '@pdx/crypto';
import { type ConfigReader, type Logger, RuntimeError } from '@pdx/runtime';
import { importJWK } from 'jose';

export const EXCHANGE_KEY_FILE = 'exchange.key.json';

/** Where a signing key comes from: a variable holding the JWK, a file, and the embedded default. */
export interface SigningKeySpec {
  /** What signs with it, for messages. */
  purpose: string;
  /** Variable holding the private JWK. */
  inline: string;
  /** Variable naming the key file. */
  file: string;
  /** File name in the embedded data directory. */
  embeddedFile: string;
  /** Name given to a generated key's kid. */
  kidPrefix: string;
  /** Algorithms the key may have. */
  algorithms: readonly ('EdDSA' | 'ES256')[];
}

export interface LoadedKey {
  signer: ExchangeSigner;
  privateJwk: PrivateJwk;
  publicJwk: ReturnType<typeof publicPart>;
}

/**
 * A service's signing key: the variable `spec.inline` (a private JWK), or the file named by
 * `spec.file` — created there (mode 0600) if missing, so replicas sharing a volume share the
 * key — or, in embedded mode, `spec.embeddedFile` in the data directory. Production without
 * either is refused: replicas with keys of their own would sign with keys nobody can find.
 */
export async function loadSigningKey(
  config: ConfigReader,
  mode: 'production' | 'embedded',
  dataDir: string,
  logger: Logger,
  spec: SigningKeySpec,
): Promise<LoadedKey> {
  const inline = config.optionalString(spec.inline);
  let privateJwk: PrivateJwk;
  if (inline !== undefined) {
    privateJwk = parse(inline, spec.inline);
  } else {
    const configured = config.optionalString(spec.file);
    if (configured === undefined && mode === 'production') {
      throw new RuntimeError('PDX_CONFIG_INVALID', `set ${spec.file} (or ${spec.inline}): ${spec.purpose}`);
    }
    const file = configured ?? join(dataDir, spec.embeddedFile);
    if (existsSync(file)) {
      privateJwk = parse(readFileSync(file, 'utf8'), file);
    } else {
      ({ privateJwk } = await generateSigningKey(
        spec.algorithms[0],
        `${spec.kidPrefix}-${new Date().toISOString().slice(0, 10)}`,
      ));
      mkdirSync(dirname(file), { recursive: true });
      try {
        writeFileSync(file, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
        chmodSync(file, 0o600);
        logger.info({ file }, `created the ${spec.kidPrefix} signing key`);
      } catch (error) {
        // Another replica sharing the volume created it first: use that one.
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        privateJwk = parse(readFileSync(file, 'utf8'), file);
      }
    }
  }
  const alg = privateJwk.kty === 'EC' ? 'ES256' : 'EdDSA';
  if (!spec.algorithms.includes(alg)) {
    throw new RuntimeError(
      'PDX_CONFIG_INVALID',
      `${spec.inline}: the key must be ${spec.algorithms.join(' or ')}, not ${alg}`,
    );
  }
  const key = (await importJWK({ ...privateJwk }, alg)) as ExchangeSigner['key'];
  return { signer: { key, kid: privateJwk.kid, alg }, privateJwk, publicJwk: publicPart(privateJwk) };
}

/**
 * The exchange's own signing key (webhooks, status answers, Statements of Application; its
 * public half is published at /.well-known/jwks.json): PDX_EXCHANGE_KEY,
 * PDX_EXCHANGE_KEY_FILE, or `exchange.key.json` in the embedded data directory.
 */
export function loadExchangeKey(
  config: ConfigReader,
  mode: 'production' | 'embedded',
  dataDir: string,
  logger: Logger,
): Promise<LoadedKey> {
  return loadSigningKey(config, mode, dataDir, logger, {
    purpose: 'the exchange signs webhooks, status answers and statements with it',
    inline: 'PDX_EXCHANGE_KEY',
    file: 'PDX_EXCHANGE_KEY_FILE',
    embeddedFile: EXCHANGE_KEY_FILE,
    kidPrefix: 'exchange',
    algorithms: ['EdDSA', 'ES256'],
  });
}

/**
 * The exchange key of a process, loaded on first use and then kept: every service of the
 * process and the host's own token check sign and verify with the one key, read once (a key
 * file created on first start is not created twice). A process that never signs as the
 * exchange (the ledger or directory alone in production) is not refused for having no key.
 */
export function exchangeKeyOnce(
  config: ConfigReader,
  mode: 'production' | 'embedded',
  dataDir: string,
  logger: Logger,
): () => Promise<LoadedKey> {
  let loaded: Promise<LoadedKey> | undefined;
  return () => {
    loaded ??= loadExchangeKey(config, mode, dataDir, logger);
    return loaded;
  };
}

function parse(text: string, where: string): PrivateJwk {
  let jwk: PrivateJwk;
  try {
    jwk = JSON.parse(text) as PrivateJwk;
  } catch {
    throw new RuntimeError('PDX_CONFIG_INVALID', `${where} is not a JSON private key`);
  }
  if (typeof jwk.d !== 'string' || typeof jwk.kid !== 'string') {
    throw new RuntimeError(
      'PDX_CONFIG_INVALID',
      `${where} is not a private JWK with a kid (make one with \`pdx keygen\`)`,
    );
  }
  return jwk;
}

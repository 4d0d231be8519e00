import type { PublicJwk } from '@pdx/contracts';
import { type LoadedKey, loadSigningKey } from '@pdx/host';
import { type ConfigReader, type Logger, RuntimeError } from '@pdx/runtime';
import { isEd25519, type StandardWebhookSigner, standardWebhookSigner } from './standard-webhooks.js';

export const WEBHOOK_KEY_FILE = 'webhook.key.json';

export interface WebhookKey {
  signer: StandardWebhookSigner;
  /** The public JWK, published at /.well-known/jwks.json beside the exchange key. */
  publicJwk: PublicJwk;
  /** Whether it is a key of its own (else it is the exchange key). */
  dedicated: boolean;
}

/**
 * The Ed25519 key that signs the Standard Webhooks `v1a` signature. The exchange key when it
 * is Ed25519 (what pdx generates): one key signs Pdx-Signature and webhook-signature, and the
 * two signed contents cannot be taken for one another (a JWS signing input has exactly one
 * '.', `id.timestamp.body` at least two). `v1a` has no ES256 form, so an ES256 exchange key
 * needs a key of its own: PDX_WEBHOOK_KEY or PDX_WEBHOOK_KEY_FILE (shared by the replicas, like
 * the exchange key; in embedded mode `webhook.key.json` in the data directory, created on first
 * start). Setting either also separates the keys when the exchange key is Ed25519.
 */
export async function loadWebhookKey(
  config: ConfigReader,
  mode: 'production' | 'embedded',
  dataDir: string,
  logger: Logger,
  exchange: LoadedKey,
): Promise<WebhookKey> {
  const configured =
    config.optionalString('PDX_WEBHOOK_KEY') !== undefined ||
    config.optionalString('PDX_WEBHOOK_KEY_FILE') !== undefined;
  if (!configured && isEd25519(exchange.privateJwk)) {
    return {
      signer: standardWebhookSigner(exchange.privateJwk),
      publicJwk: exchange.publicJwk,
      dedicated: false,
    };
  }
  const own = await loadSigningKey(config, mode, dataDir, logger, {
    purpose: `the exchange key is ${exchange.signer.alg}, and Standard Webhooks v1a signatures need an Ed25519 key`,
    inline: 'PDX_WEBHOOK_KEY',
    file: 'PDX_WEBHOOK_KEY_FILE',
    embeddedFile: WEBHOOK_KEY_FILE,
    kidPrefix: 'webhook',
    algorithms: ['EdDSA'],
  });
  if (!isEd25519(own.privateJwk))
    throw new RuntimeError('PDX_CONFIG_INVALID', 'PDX_WEBHOOK_KEY: the key must be Ed25519');
  if (own.privateJwk.kid === exchange.privateJwk.kid && own.privateJwk.d !== exchange.privateJwk.d) {
    throw new RuntimeError(
      'PDX_CONFIG_INVALID',
      'PDX_WEBHOOK_KEY: its kid is the exchange key’s; give it a kid of its own',
    );
  }
  return { signer: standardWebhookSigner(own.privateJwk), publicJwk: own.publicJwk, dedicated: true };
}

import { createPrivateKey, type KeyObject } from 'node:crypto';
import { canonicalJson, PdxError, type PublicJwk } from '@pdx/contracts';
import type { PrivateJwk } from '@pdx/crypto';
import { checkpointText, signNote, TREE_HEAD_TYP, verifierKey } from '@pdx/merkle';
import { CompactSign } from 'jose';
import type { HeadDoc } from './ledger-docs.js';

/** Signs tree heads with the ledger's Ed25519 key: as a JWS and as a C2SP checkpoint note. */
export class HeadSigner {
  readonly origin: string;
  readonly publicJwk: PublicJwk;
  readonly #key: KeyObject;
  readonly #kid: string;

  constructor(origin: string, privateJwk: PrivateJwk, publicJwk: PublicJwk) {
    if (privateJwk.kty !== 'OKP' || privateJwk.crv !== 'Ed25519') {
      throw new PdxError(
        'PDX_CONFIG_INVALID',
        'PDX_LEDGER_KEY: the ledger key must be an Ed25519 (EdDSA) key: checkpoints are signed with Ed25519',
      );
    }
    this.origin = origin;
    this.publicJwk = publicJwk;
    this.#kid = privateJwk.kid;
    this.#key = createPrivateKey({ key: { ...privateJwk }, format: 'jwk' });
  }

  /** The note verifier key (`<origin>+<key id>+<key>`) witnesses and verifiers are configured with. */
  verifierKey(): string {
    return verifierKey(this.origin, this.#key);
  }

  async sign(treeSize: number, rootHash: Uint8Array, timestampMs: number): Promise<HeadDoc> {
    const head = {
      origin: this.origin,
      treeSize,
      rootHash: Buffer.from(rootHash).toString('base64'),
      timestamp: new Date(timestampMs).toISOString(),
    };
    const jws = await new CompactSign(new TextEncoder().encode(canonicalJson(head)))
      .setProtectedHeader({ alg: 'EdDSA', typ: TREE_HEAD_TYP, kid: this.#kid })
      .sign(this.#key);
    const checkpoint = signNote(
      checkpointText({ origin: this.origin, size: treeSize, rootHash }),
      this.origin,
      this.#key,
    );
    return {
      id: `${String(treeSize).padStart(16, '0')}-${String(timestampMs).padStart(15, '0')}`,
      ...head,
      jws,
      checkpoint,
    };
  }
}

/**
 * What the exemption ledger signs as a tree head, for both entry points (no `node:` import):
 * the JWS `typ` (RFC 8725 §3.11: a tree head cannot pass as any other JWS, nor another JWS as
 * a tree head) and the fields its payload, the RFC 8785 canonical JSON of the head, holds.
 */
export const TREE_HEAD_TYP = 'pdx-tree-head+jws';

/** A signed tree head's payload: the ledger's size and root at a time, under its origin. */
export interface TreeHead {
  origin: string;
  treeSize: number;
  /** Base64 (RFC 4648 §4) of the 32-byte root hash. */
  rootHash: string;
  /** RFC 3339 instant it was signed. */
  timestamp: string;
}

export const treeHeadFields = [
  'origin',
  'treeSize',
  'rootHash',
  'timestamp',
] as const satisfies readonly (keyof TreeHead)[];

export { EMPTY_ROOT, isPowerOfTwo, leafHash, nodeHash, splitPoint } from './hash.js';
export {
  type Checkpoint,
  checkpointText,
  noteKeyId,
  openNote,
  parseCheckpoint,
  rawEd25519,
  signNote,
  verifierKey,
} from './note.js';
export {
  consistencyProof,
  frontier,
  inclusionProof,
  MemoryTree,
  type NodeId,
  type NodeReader,
  nodesCompletedBy,
  rootAt,
} from './tree.js';
export {
  type TreeHeadInput,
  type TreeHeadKey,
  type TreeHeadOptions,
  type TreeHeadStep,
  type TreeHeadVerdict,
  verifyTreeHead,
} from './tree-head.js';
export { TREE_HEAD_TYP, type TreeHead, treeHeadFields } from './tree-head-format.js';
export { type Verdict, verifyConsistency, verifyInclusion } from './verify.js';

import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { defaultCacheDir, ensureProvisioned } from './managed-process.js';

/** What tlog-verify checks: a signed checkpoint, inclusion proofs under it, consistency proofs up to it. */
export interface TlogVerifyRequest {
  origin: string;
  /** The note verifier key, `<name>+<key id>+<base64 key>`. */
  verifierKey: string;
  checkpoint: string;
  inclusion: { index: number; entry: string; proof: string[] }[];
  consistency: { size1: number; root1: string; proof: string[] }[];
}

/**
 * Verifies with the independent Go libraries transparency logs use
 * (transparency-dev/formats, transparency-dev/merkle, golang.org/x/mod/sumdb/note), built
 * by scripts/provision.sh from test/infra/tlog-verify. Resolves with its exit code and output.
 */
export async function tlogVerify(
  request: TlogVerifyRequest,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const cacheDir = defaultCacheDir();
  const home = join(cacheDir, 'tlog-verify');
  await ensureProvisioned(cacheDir, join(home, '.complete'));
  const child = spawn(join(home, 'tlog-verify'), [], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdin.end(JSON.stringify(request));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stdout, stderr };
}

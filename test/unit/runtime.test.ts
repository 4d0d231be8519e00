import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// pdx runs on Node.js 24 LTS, with 22 supported; Node 20 reached end of life on 2026-04-30.
// These checks keep every place that names the runtime in step with scripts/node.sh, and
// make a run on an unsupported Node fail instead of passing by accident.
const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  engines: { node: string };
  devDependencies: Record<string, string>;
};
const pinned = /^readonly NODE_VERSION=(\d+)\.(\d+)\.(\d+)$/m.exec(read('scripts/node.sh'));
const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];

describe('the Node.js runtime', () => {
  it('is a supported release line: 24, or 22 from 22.12', () => {
    expect(pkg.engines.node).toBe('>=22.12');
    expect(major === 22 ? minor >= 12 : major >= 24).toBe(true);
  });

  it('is, under CI, the Node 24 that scripts/node.sh pins', () => {
    expect(pinned, 'scripts/node.sh pins NODE_VERSION=24.x.y').not.toBeNull();
    expect(pinned![1]).toBe('24');
    if (process.env.CI === 'true') expect(process.versions.node).toBe(pinned!.slice(1).join('.'));
  });

  it('is the one the container image, the type definitions and the README name', () => {
    const version = pinned!.slice(1).join('.');
    const images = [...read('Dockerfile').matchAll(/^FROM node:(\S+)/gm)].map((m) => m[1]);
    expect(images).toEqual([`${version}-bookworm-slim`, `${version}-bookworm-slim`]);
    expect(pkg.devDependencies['@types/node']).toMatch(/^24\./);
    expect(read('README.md')).toContain('Node.js 24 LTS');
  });
});

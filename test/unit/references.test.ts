import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `tsc -b` builds in the order the project references give, and npm links what package.json
 * says: when the two disagree a build passes on one machine and fails on a clean one, or a
 * package imports what it never declared. They must say the same thing, workspace by workspace.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Workspace {
  dir: string;
  name: string;
  pdxDependencies: string[];
  references: string[];
}

const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { workspaces: string[] };

function workspaceDirs(): string[] {
  return rootPackage.workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    return readdirSync(join(root, parent))
      .map((entry) => `${parent}/${entry}`)
      .filter((dir) => existsSync(join(root, dir, 'package.json')));
  });
}

/** tsconfig.json allows comments and trailing commas; ours have neither, so JSON.parse reads them. */
function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

const workspaces: Workspace[] = workspaceDirs().map((dir) => {
  const pkg = readJson(join(root, dir, 'package.json')) as {
    name: string;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const tsconfig = existsSync(join(root, dir, 'tsconfig.json'))
    ? (readJson(join(root, dir, 'tsconfig.json')) as { references?: { path: string }[] })
    : {};
  return {
    dir,
    name: pkg.name,
    pdxDependencies: Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })
      .filter((n) => n.startsWith('@pdx/'))
      .sort(),
    references: (tsconfig.references ?? []).map((r) => relative(root, resolve(root, dir, r.path))).sort(),
  };
});
const byName = new Map(workspaces.map((w) => [w.name, w]));
const byDir = new Map(workspaces.map((w) => [w.dir, w]));

/** The @pdx/* packages a workspace's TypeScript sources import (type imports included: tsc needs them). */
function importedPackages(dir: string): string[] {
  const found = new Set<string>();
  const walk = (path: string): void => {
    for (const entry of readdirSync(path)) {
      if (entry === 'node_modules' || entry === 'dist' || entry === 'dist-types') continue;
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry) && !entry.endsWith('.d.ts')) {
        for (const m of readFileSync(full, 'utf8').matchAll(
          /\bfrom\s+'(@pdx\/[a-z-]+)[^']*'|import\('(@pdx\/[a-z-]+)/g,
        )) {
          found.add((m[1] ?? m[2])!);
        }
      }
    }
  };
  for (const sub of ['src', 'e2e', 'unit', 'infra', 'fuzz', 'bench', 'scripts']) {
    if (existsSync(join(root, dir, sub))) walk(join(root, dir, sub));
  }
  return [...found].sort();
}

describe('project references match package dependencies', () => {
  it('finds the workspaces', () => {
    expect(workspaces.map((w) => w.name)).toEqual(expect.arrayContaining(['@pdx/contracts', '@pdx/intake']));
  });

  it.each(workspaces.map((w) => [w.dir, w] as const))(
    '%s references exactly the workspaces it depends on',
    (_dir, w) => {
      const expected = w.pdxDependencies
        .map((name) => {
          const target = byName.get(name);
          if (target === undefined)
            throw new Error(`${w.dir}/package.json depends on ${name}: no such workspace`);
          return target.dir;
        })
        .sort();
      const missing = expected.filter((d) => !w.references.includes(d));
      const extra = w.references.filter((d) => !expected.includes(d));
      expect(
        { missingReferences: missing, referencesWithoutDependency: extra },
        `${w.dir}/tsconfig.json references vs package.json @pdx/* dependencies`,
      ).toEqual({ missingReferences: [], referencesWithoutDependency: [] });
    },
  );

  it.each(workspaces.map((w) => [w.dir, w] as const))(
    '%s declares every @pdx package it imports, and imports every one it declares',
    (_dir, w) => {
      const imported = importedPackages(w.dir).filter((n) => n !== w.name);
      expect(
        {
          importedButNotDeclared: imported.filter((n) => !w.pdxDependencies.includes(n)),
          declaredButNotImported: w.pdxDependencies.filter((n) => !imported.includes(n)),
        },
        `${w.dir}: imports of @pdx/* vs package.json`,
      ).toEqual({ importedButNotDeclared: [], declaredButNotImported: [] });
    },
  );

  it('the root tsconfig.json references every workspace with a tsconfig.json, and nothing else', () => {
    const rootRefs = ((readJson(join(root, 'tsconfig.json')).references ?? []) as { path: string }[])
      .map((r) => relative(root, resolve(root, r.path)))
      .sort();
    const withTsconfig = workspaces
      .filter((w) => existsSync(join(root, w.dir, 'tsconfig.json')))
      .map((w) => w.dir)
      .sort();
    expect(rootRefs).toEqual(withTsconfig);
    for (const ref of rootRefs) expect(byDir.has(ref), ref).toBe(true);
  });
});

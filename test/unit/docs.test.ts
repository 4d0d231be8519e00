import { readdirSync, readFileSync } from 'node:fs';
import { errorCatalog } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);
const readme = readFileSync(new URL('README.md', root), 'utf8');
const errorSection = readme.slice(
  readme.indexOf('## Error codes'),
  readme.indexOf('\n## ', readme.indexOf('## Error codes') + 1),
);

describe('README', () => {
  it('lists exactly the error catalog, with the same status and meaning', () => {
    const rows = [
      ...errorSection.matchAll(/^\|\s*`(PDX_[A-Z0-9_]+)`\s*\|\s*(\d{3}|—)\s*\|\s*(.+?)\s*\|$/gm),
    ].map(([, code, status, title]) => ({
      code,
      status: status === '—' ? null : Number(status),
      title,
    }));
    const catalog = Object.entries(errorCatalog).map(([code, e]) => ({
      code,
      status: e.status,
      title: e.title,
    }));
    expect(rows).toEqual(catalog);
  });
});

describe('README configuration table', () => {
  const configSection = readme.slice(
    readme.indexOf('## Configuration'),
    readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1),
  );
  const documented = new Set([...configSection.matchAll(/^\|\s*`([A-Z][A-Z0-9_]+)`/gm)].map((m) => m[1]));
  const sources = (dir: URL): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      if (e.name === 'dist' || e.name === 'node_modules') return [];
      const url = new URL(e.isDirectory() ? `${e.name}/` : e.name, dir);
      return e.isDirectory()
        ? sources(url)
        : e.name.endsWith('.ts') && !e.name.includes('.test.')
          ? [readFileSync(url, 'utf8')]
          : [];
    });

  it('documents every setting the code reads', () => {
    const code = [...sources(new URL('packages/', root)), ...sources(new URL('services/', root))].join('\n');
    const read = new Set(
      [
        ...code.matchAll(/config\.(?:int|string|optionalString|list|oneOf|bool)\(\s*'([A-Z][A-Z0-9_]+)'/g),
      ].map((m) => m[1]),
    );
    expect(read.size).toBeGreaterThan(10);
    expect([...read].filter((name) => !documented.has(name))).toEqual([]);
  });
});

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8')) as {
    services: Record<string, { image?: string; command?: string[] }>;
  };
  it('runs every service entry as its own container, Kafka 3.9 and MongoDB', () => {
    // The console is static files the standalone process and the gateway serve, not a process.
    const entries = readdirSync(new URL('services/', root)).filter(
      (s) => s !== 'standalone' && s !== 'console',
    );
    const commands = Object.values(compose.services).flatMap((s) => (s.command ? [s.command.join(' ')] : []));
    expect(commands.sort()).toEqual(entries.map((s) => `node services/${s}/dist/main.js`).sort());
    expect(compose.services.kafka?.image).toMatch(/^apache\/kafka:3\.9\./);
    expect(compose.services.mongodb?.image).toMatch(/^mongo:/);
  });
});

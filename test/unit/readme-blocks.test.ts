import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkOutput, readmeBlocks } from '../e2e/readme-blocks.js';

const sample = [
  '# Title',
  '',
  '```sh',
  'curl -si http://127.0.0.1:8080/v1/parties',
  '# → 201 Created',
  '# → location: /v1/parties/acme',
  'pdx verify x.jws',
  '# → VALID',
  '```',
  '',
  '<!-- not run: production only -->',
  '',
  '```sh',
  'docker compose up',
  '```',
  '```json',
  '{}',
  '```',
].join('\n');

describe('README blocks, as the README test reads them', () => {
  it('takes every sh block in order with its line, claims and not-run mark', () => {
    const blocks = readmeBlocks(sample);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toMatchObject({
      line: 4,
      statuses: [201],
      texts: ['location: /v1/parties/acme', 'VALID'],
    });
    expect(blocks[0]!.notRun).toBeUndefined();
    expect(blocks[1]).toMatchObject({ line: 14, notRun: 'production only', statuses: [], texts: [] });
  });

  it('checks the statuses shown, exactly and in order, and the texts in order', () => {
    const [block] = readmeBlocks(sample);
    const good = 'HTTP/1.1 201 Created\r\nlocation: /v1/parties/acme\r\n\r\n{}\nVALID    signature\nVALID\n';
    expect(checkOutput(block!, good)).toEqual([]);
    expect(checkOutput(block!, good.replace('201 Created', '409 Conflict'))).toEqual([
      'the README says the statuses are [201], the output shows [409]',
    ]);
    expect(checkOutput(block!, `${good}HTTP 401 Unauthorized\n`)[0]).toContain('the output shows [201, 401]');
    expect(checkOutput(block!, good.replace('location', 'Location'))[0]).toContain(
      '"location: /v1/parties/acme"',
    );
  });

  it('finds the README runnable: few blocks not run, each with its reason, and a status for every curl -i', () => {
    const blocks = readmeBlocks(readFileSync(new URL('../../README.md', import.meta.url), 'utf8'));
    const notRun = blocks.filter((b) => b.notRun);
    expect(notRun.length).toBeLessThanOrEqual(3);
    expect(blocks.length - notRun.length).toBeGreaterThan(8);
    for (const b of blocks.filter((x) => !x.notRun)) {
      const commands = b.code
        .split('\n')
        .filter((l) => !l.trim().startsWith('#'))
        .join('\n');
      const shown = (commands.match(/\bcurl -si\b|\bpdx call\b/g) ?? []).length;
      expect(b.statuses.length, `README.md:${b.line}: one # → status per curl -si or pdx call`).toBe(shown);
      expect(b.code, `README.md:${b.line}: curl must show its status (-i)`).not.toMatch(/\bcurl -s\s/);
      expect(b.code, `README.md:${b.line}: npx pdx is slow; the block puts pdx on PATH`).not.toMatch(
        /\bnpx pdx\b/,
      );
    }
  });
});

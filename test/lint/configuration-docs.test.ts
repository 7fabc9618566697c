import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { configVariables, fileSecrets } from '../../src/config.ts';

// An operator reads .env.example and the README's Configuration table: both must name every
// variable Televent reads, so a new setting cannot ship undocumented.
const root = fileURLToPath(new URL('../..', import.meta.url));
const envExample = readFileSync(`${root}.env.example`, 'utf8');
const readme = readFileSync(`${root}README.md`, 'utf8');

describe('configuration documentation', () => {
  it.each(configVariables)('.env.example and the README describe %s', (name) => {
    expect(envExample).toMatch(new RegExp(`^#?${name}=`, 'm'));
    expect(readme).toContain(`| \`${name}\` |`);
  });

  it('.env.example says which secrets may come from files', () => {
    for (const name of fileSecrets) expect(envExample).toContain(`${name}_FILE`);
  });
});

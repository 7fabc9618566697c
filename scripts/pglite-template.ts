// `prepare` step: the embedded database's initdb, done once at install time (see
// src/storage/pglite-template.ts).
import { buildPgliteTemplate } from '../src/storage/pglite-template.ts';

const started = performance.now();
const made = await buildPgliteTemplate();
console.log(
  made
    ? `embedded database: initialised dist/pglite-template in ${Math.round(performance.now() - started)} ms`
    : 'embedded database: dist/pglite-template is current',
);

import { writeFileSync } from 'node:fs';
import { renderBehaviorMatrix } from './behavior-matrix.ts';

const path = new URL('../docs/behavior-matrix.md', import.meta.url);
writeFileSync(path, renderBehaviorMatrix());
process.stdout.write(`wrote ${path.pathname}\n`);

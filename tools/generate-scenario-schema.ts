import { writeFileSync } from 'node:fs';
import { scenarioJsonSchema } from '../scenarios/engine/schema.ts';

const path = new URL('../scenarios/scenario.schema.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${path.pathname}\n`);

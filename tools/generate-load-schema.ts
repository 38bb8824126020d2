import { writeFileSync } from 'node:fs';
import { loadReportJsonSchema } from '../load/report-schema.ts';

const path = new URL('../load/report.schema.json', import.meta.url);
writeFileSync(path, `${JSON.stringify(loadReportJsonSchema(), null, 2)}\n`);
process.stdout.write(`wrote ${path.pathname}\n`);

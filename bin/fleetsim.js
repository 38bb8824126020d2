#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so `npx fleetsim` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
await main(process.argv);

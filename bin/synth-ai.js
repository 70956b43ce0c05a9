#!/usr/bin/env -S node --
// `node --` stops Node 20 from reading our --env-file flag as its own (it scans the whole argv).
// The package ships TypeScript sources; tsx's loader lets the bin run them directly in a checkout.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);

#!/usr/bin/env node
// The `warnline` command: registers tsx so the TypeScript sources run as they are (no build step), then
// hands over to the CLI of the subcommand: `warnline backfill …` to the backfill, everything else to the rules.
import { register } from 'tsx/esm/api';

register();
if (process.argv[2] === 'backfill') await import('@warnline/backfill/cli');
else await import('../src/cli/main.ts');

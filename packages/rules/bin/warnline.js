#!/usr/bin/env node
// The `warnline` command: registers tsx so the TypeScript sources run as they are (no build step), then
// hands over to the CLI. Works on Node 20.6+ and 24.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');

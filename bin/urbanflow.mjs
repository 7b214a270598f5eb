#!/usr/bin/env node
// The `urbanflow` command. Runs the TypeScript sources through tsx so a fresh
// `npm install` is all a user needs (no build step).
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../app/cli/main.ts');
await main(process.argv.slice(2));

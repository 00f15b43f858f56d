#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx's loader: one code path for npm start,
// npx gazette and the tests, with no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');

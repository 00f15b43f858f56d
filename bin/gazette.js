#!/usr/bin/env node
// `gazette`: runs the bundle of src/ that bin/bundle.js keeps in step with the sources (made
// again, in a fraction of a second, after any change), so there is nothing to build by hand and
// no TypeScript loader in the process. Tests and benchmarks load the same sources through tsx.
import { bundle } from './bundle.js';

const { gazette } = await bundle();
await import(gazette);

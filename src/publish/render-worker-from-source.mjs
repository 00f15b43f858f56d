// Starts the render worker from its TypeScript source, when Gazette runs from source (tests and
// benchmarks under tsx; a worker thread does not inherit the loader). `gazette` itself starts the
// bundled worker that bin/bundle.js makes.
import { register } from 'tsx/esm/api';

register();
await import('./render-worker.ts');

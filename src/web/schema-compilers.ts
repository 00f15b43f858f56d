// Fastify's own schema compilers (Ajv for what comes in, fast-json-stringify for what goes out),
// made once per process and shared by every app built in it. Fastify makes new ones for each app,
// and compiling the routes' schemas took most of an app's start: about 0.5 s of CPU, spent again
// by every app a process builds (the test suites build hundreds; a server builds one, and a
// reload of its settings another). A compiled schema is a pure function of the schema and of the
// compiler's options, so an app may use one another app compiled.
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

/**
 * `factory` (Fastify's signature: shared schemas and options, then a route's schema), answering
 * a schema with the same text as one it compiled, under the same shared schemas and options, with
 * what it compiled then. Options are compared as JSON: Gazette gives Fastify none that are functions.
 */
function compiledOnce<S, O, R extends { schema?: unknown }, F>(
  factory: (externalSchemas: S, options: O) => (route: R) => F,
): (externalSchemas: S, options: O) => (route: R) => F {
  const kept = new Map<string, Map<string, F>>();
  return (externalSchemas, options) => {
    const compile = factory(externalSchemas, options);
    const key = JSON.stringify([externalSchemas, options]);
    const bySchema = kept.get(key) ?? new Map<string, F>();
    kept.set(key, bySchema);
    return (route) => {
      const text = JSON.stringify(route.schema);
      let compiled = bySchema.get(text);
      if (compiled === undefined) bySchema.set(text, (compiled = compile(route)));
      return compiled;
    };
  };
}

/** For Fastify's `schemaController.compilersFactory`. */
export const schemaCompilers = {
  buildValidator: compiledOnce(AjvCompiler()),
  buildSerializer: compiledOnce(SerializerSelector()),
};

// Fastify's own schema compilers (Ajv for what comes in, fast-json-stringify for what goes out),
// made once per process and shared by every app built in it. Fastify makes new ones for each app,
// and compiling the routes' schemas took most of an app's start: about 0.5 s of CPU, spent again
// by every app a process builds (the test suites build hundreds; a server builds one). A compiled
// schema is a pure function of the schema and of the compiler's options, so an app may use one
// another app compiled.
import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

/** A function anywhere in `value` (an Ajv plugin, `onCreate`): JSON, which keys the compiled functions, would drop it. */
function functionIn(value: unknown, at: string): string | null {
  if (typeof value === 'function') return at;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value)) {
    const found = functionIn(inner, `${at}.${key}`);
    if (found) return found;
  }
  return null;
}

/**
 * Given compilers of its own, Fastify passes a route's header schema as written, where its own
 * would have lower-cased the names first (Node gives header names in lower case). A name in
 * capitals would then refuse every request, so it is refused here, when the route is made.
 */
function checkHeaderNames(route: { schema?: unknown; httpPart?: string; method?: string; url?: string }): void {
  if (route.httpPart !== 'headers' || route.schema === null || typeof route.schema !== 'object') return;
  const { properties = {}, required = [] } = route.schema as { properties?: object; required?: unknown[] };
  const capitals = [...Object.keys(properties), ...required].filter(
    (name) => typeof name === 'string' && name !== name.toLowerCase(),
  );
  if (capitals.length > 0)
    throw new TypeError(
      `the header schema of ${route.method ?? ''} ${route.url ?? ''} names ${capitals.join(', ')}: write header names in lower case`,
    );
}

/**
 * `factory` (Fastify's signature: shared schemas and options, then a route's schema), answering
 * a schema with the same text as one it compiled, under the same shared schemas and options, with
 * what it compiled then.
 */
function compiledOnce<S, O, R extends { schema?: unknown; httpPart?: string }, F>(
  factory: (externalSchemas: S, options: O) => (route: R) => F,
): (externalSchemas: S, options: O) => (route: R) => F {
  const kept = new Map<string, Map<string, F>>();
  return (externalSchemas, options) => {
    const unkeyable = functionIn(options, 'options');
    if (unkeyable) throw new TypeError(`shared schema compilers take no functions in their options (${unkeyable})`);
    const compile = factory(externalSchemas, options);
    const key = JSON.stringify([externalSchemas, options]);
    const bySchema = kept.get(key) ?? new Map<string, F>();
    kept.set(key, bySchema);
    return (route) => {
      checkHeaderNames(route);
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

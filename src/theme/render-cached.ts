import { Hash, Tag, toValueSync, type Context, type Emitter, type Liquid, type TagToken, type TopLevelToken } from 'liquidjs';
import type { CompilableTag, Step, TemplateCompiler } from './compile.js';

/** Distinct argument sets kept per theme; past this the memory starts over (a site has a few dozen). */
const MAX_ENTRIES = 512;

/**
 * `{% render_cached 'nav', items: frame.nav, kind: page_kind %}`: a `render` whose output is
 * kept and reused for the same partial and the same arguments. A partial rendered with `render`
 * sees only its arguments, so the same arguments always give the same output; the frame of a
 * page (header, navigation, breadcrumb, footer) is the same for every page of a column, and a
 * build renders it once per column instead of once per page.
 */
export function registerRenderCached(engine: Liquid): void {
  const cache = new Map<string, string>();
  engine.registerTag(
    'render_cached',
    class RenderCached extends Tag implements CompilableTag {
      private readonly file: string;
      private readonly hash: Hash;
      private readonly currentFile: string | undefined;

      constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
        super(token, remainTokens, liquid);
        const match = /^\s*(['"])([\w./-]+)\1\s*,?/.exec(token.args);
        if (!match?.[2]) throw new TypeError(`render_cached takes a quoted partial name first, not "${token.args}" (${token.file ?? 'template'})`);
        this.file = match[2];
        this.hash = new Hash(token.args.slice(match[0].length), liquid.options.keyValueSeparator);
        this.currentFile = token.file;
      }

      /** The partial's output for these arguments: kept, or rendered now and kept. Synchronous, as Theme.render is. */
      private output(ctx: Context, args: Record<string, unknown>): string {
        const key = `${this.file}\u0000${JSON.stringify(args)}`;
        let html = cache.get(key);
        if (html === undefined) {
          const templates = toValueSync(this.liquid._parsePartialFile(this.file, true, this.currentFile));
          html = toValueSync(this.liquid.renderer.renderTemplates(templates, ctx.spawn(args))) as string;
          if (cache.size >= MAX_ENTRIES) cache.clear();
          cache.set(key, html);
        }
        return html;
      }

      *render(ctx: Context, emitter: Emitter): Generator<unknown, void, unknown> {
        emitter.write(this.output(ctx, (yield this.hash.render(ctx)) as Record<string, unknown>));
      }

      /** The same with the arguments evaluated by compiled code (see compile.ts). */
      compiled(compiler: TemplateCompiler): Step | null {
        const hash = compiler.hash(this.hash);
        return hash && ((ctx, emitter) => emitter.write(this.output(ctx, hash(ctx))));
      }
    },
  );
}

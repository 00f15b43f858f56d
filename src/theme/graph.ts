import { Tokenizer, TypeGuards, type TagToken, type Token } from 'liquidjs';
import type { ThemeFiles } from './files.js';

/** The tags that bring in another template by name. */
const INCLUDING = new Set(['layout', 'render', 'include', 'render_cached']);
/** `'name'` or `"name"` first in a tag's arguments: a template named in the text itself. */
const LITERAL = /^\s*(['"])([^'"]*)\1/;

/** A template's name reference: the name written, and the tag token that writes it (for its line). */
export interface TemplateReference {
  readonly name: string;
  readonly token: TagToken;
}

/** What a template's text brings in: the templates it names, and whether some name is computed while rendering. */
export interface TemplateUses {
  readonly references: readonly TemplateReference[];
  readonly dynamic: boolean;
}

/**
 * The templates a template's text names in layout, render, include and render_cached tags, read
 * from its tokens (a tag inside `{% liquid %}` too). `{% layout none %}` names none; a name that
 * is a variable (`{% render block.partial %}`) makes the template dynamic: it may use any.
 * Throws LiquidJS's TokenizationError for text it cannot read.
 */
export function templateUses(source: string, file?: string): TemplateUses {
  const references: TemplateReference[] = [];
  let dynamic = false;
  const visit = (tokens: readonly Token[]) => {
    for (const token of tokens) {
      if (!TypeGuards.isTagToken(token)) continue;
      // `{% liquid %}`: its lines are tags too, read by the tag's own tokenizer as LiquidJS reads them.
      if (token.name === 'liquid') visit(token.tokenizer.readLiquidTagTokens());
      if (!INCLUDING.has(token.name)) continue;
      const literal = LITERAL.exec(token.args);
      if (literal?.[2] !== undefined) references.push({ name: literal[2], token });
      else if (!(token.name === 'layout' && /^\s*none\b/.test(token.args))) dynamic = true;
    }
  };
  visit(new Tokenizer(source, undefined, file).readTopLevelTokens());
  return { references, dynamic };
}

/**
 * The theme's include graph with a site's templates: for each template, every template its
 * rendering may reach (itself, its layout, the partials they render, and so on). A template with
 * a computed name reaches every template. Text that cannot be read reaches nothing beyond itself
 * (it would fail to render at all; validation refuses it before it is saved).
 */
export function templateClosure(
  files: ThemeFiles,
  overrides: Readonly<Record<string, string>> = {},
): ReadonlyMap<string, ReadonlySet<string>> {
  const direct = new Map<string, readonly string[] | 'all'>();
  for (const name of files.names) {
    const source = overrides[name] ?? files.source(name) ?? '';
    let uses: TemplateUses = { references: [], dynamic: false };
    try {
      uses = templateUses(source);
    } catch {
      // Unreadable: it reaches nothing (see above).
    }
    direct.set(name, uses.dynamic ? 'all' : uses.references.map((r) => r.name).filter((n) => files.has(n)));
  }
  const closure = new Map<string, ReadonlySet<string>>();
  for (const name of files.names) {
    const reached = new Set<string>([name]);
    const queue = [name];
    for (let next = queue.pop(); next !== undefined; next = queue.pop()) {
      const uses = direct.get(next) ?? [];
      for (const used of uses === 'all' ? files.names : uses)
        if (!reached.has(used)) {
          reached.add(used);
          queue.push(used);
        }
    }
    closure.set(name, reached);
  }
  return closure;
}

/** The templates (of `among`) whose rendering reaches any of `changed`. */
export function templatesUsing(
  closure: ReadonlyMap<string, ReadonlySet<string>>,
  changed: readonly string[],
  among: readonly string[],
): string[] {
  return among.filter((name) => changed.some((c) => closure.get(name)?.has(c)));
}

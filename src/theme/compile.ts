import {
  BlockTag,
  CaseTag,
  CommentTag,
  Drop,
  ForTag,
  IfTag,
  LayoutTag,
  LiquidError,
  Output,
  RenderError,
  RenderTag,
  TypeGuards,
  defaultOperators,
  evalToken,
  isTruthy,
  toValue,
  toValueSync,
  type Context,
  type Emitter,
  type Hash,
  type Liquid,
  type Tag,
  type Template,
  type Token,
  type Value,
} from 'liquidjs';

/**
 * Liquid templates turned into plain functions once they are parsed. LiquidJS evaluates every
 * node, expression and property read through generators driven by `toValueSync`; on a page of a
 * few hundred nodes that driver is most of the render. This compiler keeps LiquidJS's parser,
 * its Context (scopes, property reads, drops), its filters and its operators, and replaces only
 * the walk: each node becomes a closure that does what the node's `render` does, in the same
 * order. A node it does not know (a tag other than those below, or one in a form it does not
 * handle) stays as LiquidJS made it and LiquidJS renders it in its place, so every template
 * still renders. The output is byte-identical to LiquidJS's (a test renders every template both
 * ways), and a render that throws is done again by LiquidJS, whose error says where (line, column).
 * With a render time limit (a site's own templates run under one), each list checks the clock
 * before each node, as LiquidJS's renderer does, and says where a failure was itself.
 */

/** What a node does: writes to the emitter, reading from the context. */
export type Step = (ctx: Context, emitter: Emitter) => void;
/** An expression, a variable or a literal: its value in the context. */
export type Evaluate = (ctx: Context) => unknown;
/** A tag's `key: value` arguments, evaluated as LiquidJS's Hash does. */
export type EvaluateHash = (ctx: Context) => Record<string, unknown>;

/** A tag of Gazette's own that compiles itself (render_cached does). */
export interface CompilableTag {
  compiled(compiler: TemplateCompiler): Step | null;
}

const isCompilable = (template: object): template is CompilableTag => typeof (template as Partial<CompilableTag>).compiled === 'function';

/** LiquidJS's internals the compiler reads: fields its type declarations keep private. */
interface FilterInternals {
  readonly handler: (this: unknown, ...args: unknown[]) => unknown;
  readonly token: Token;
  readonly liquid: Liquid;
  readonly args: readonly (Token | readonly [string, Token])[];
}
interface ContextInternals {
  findScope(key: unknown): object;
}
interface RenderTagInternals {
  readonly file: unknown;
  readonly currentFile?: string;
  readonly hash: Hash;
  readonly with?: unknown;
  readonly forBinding?: unknown;
}
/** What Context.readProperty takes as a key (LiquidJS's own PropertyKey). */
type LiquidKey = Parameters<Context['readProperty']>[1];
interface TokenContent {
  readonly content: unknown;
}

/** A compiled template list, standing in the tree where LiquidJS renders lists. */
class CompiledTemplates implements Template {
  constructor(
    readonly token: Token,
    readonly run: Step,
  ) {}

  render(ctx: Context, emitter: Emitter): void {
    this.run(ctx, emitter);
  }
}

/** LiquidJS's `forloop` (not exported): the same fields in the same order, so it prints the same. */
class ForloopDrop extends Drop {
  i: number;
  length: number;
  name: string;
  constructor(length: number, name: string) {
    super();
    this.i = 0;
    this.length = length;
    this.name = name;
  }
  next(): void {
    this.i++;
  }
  index0(): number {
    return this.i;
  }
  index(): number {
    return this.i + 1;
  }
  first(): boolean {
    return this.i === 0;
  }
  last(): boolean {
    return this.i === this.length - 1;
  }
  rindex(): number {
    return this.length - this.i;
  }
  rindex0(): number {
    return this.length - this.i - 1;
  }
  override valueOf(): string {
    return JSON.stringify(this);
  }
}

function createScope(from: object): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, from);
}

/** LiquidJS's toEnumerable (not exported): what a `for` walks. */
function toEnumerable(value: unknown): unknown[] {
  const val: unknown = toValue(value);
  if (Array.isArray(val)) return val;
  if (typeof val === 'string') return val.length > 0 ? [val] : [];
  if (val !== null && (typeof val === 'object' || typeof val === 'function')) {
    if (Symbol.iterator in val) return Array.from(val as Iterable<unknown>);
    return Object.keys(val).map((key) => [key, (val as Record<string, unknown>)[key]]);
  }
  return [];
}

const isPrimitive = (value: unknown) => value === null || (typeof value !== 'object' && typeof value !== 'function');
const BINARY = new Set(['==', '!=', '>', '<', '>=', '<=', 'contains', 'and', 'or']);

type Operator = (...args: unknown[]) => unknown;

/** The engine options the compiled steps assume; with any other, templates are left to LiquidJS. */
export function canCompile(liquid: Liquid): boolean {
  const o = liquid.options;
  return !o.strictVariables && !o.lenientIf && !o.keepOutputType && !o.catchAllErrors;
}

/** A node and its step, for a list that checks the render time limit. */
interface TimedStep {
  readonly template: Template;
  readonly step: Step;
}

export class TemplateCompiler {
  /** How many nodes were compiled, and the tags left to LiquidJS (the default theme's tests pin both). */
  compiled = 0;
  readonly interpreted: string[] = [];

  /** Whether renders are bounded in time (renderLimit): lists then check the clock as LiquidJS's do. */
  private readonly timed: boolean;

  constructor(private readonly liquid: Liquid) {
    this.timed = liquid.options.renderLimit !== Infinity;
  }

  /** A parsed template list as one compiled template (an empty list stays as it is). */
  list(templates: Template[]): Template[] {
    const first = templates[0];
    if (!first) return templates;
    return [new CompiledTemplates(first.token, this.steps(templates))];
  }

  /** Renders a parsed list (a partial's) into the emitter, directly when it is compiled. */
  renderList(templates: readonly Template[], ctx: Context, emitter: Emitter): void {
    const only = templates[0];
    if (templates.length === 1 && only instanceof CompiledTemplates) only.run(ctx, emitter);
    else toValueSync(this.liquid.renderer.renderTemplates(templates as Template[], ctx, emitter));
  }

  hash(hash: Hash): EvaluateHash | null {
    const entries: [string, Evaluate | null][] = [];
    for (const [key, token] of Object.entries(hash.hash)) {
      if (token === undefined) entries.push([key, null]);
      else {
        const value = this.operand(token);
        if (!value) return null;
        entries.push([key, value]);
      }
    }
    return (ctx) => {
      const values: Record<string, unknown> = {};
      for (const [key, value] of entries) values[key] = value ? value(ctx) : true;
      return values;
    };
  }

  /** A list's steps, run in order and stopped by break or continue, as LiquidJS's renderer does. */
  private steps(templates: readonly Template[]): Step {
    if (this.timed) return this.timedSteps(templates);
    const steps = templates.map((t) => this.node(t)).filter((s): s is Step => s !== null);
    const only = steps[0];
    if (steps.length === 1 && only) return only;
    return (ctx, emitter) => {
      for (const step of steps) {
        step(ctx, emitter);
        if (ctx.breakCalled || ctx.continueCalled) break;
      }
    };
  }

  /**
   * The same under a render time limit, as LiquidJS's renderTemplates does it: the clock checked
   * on entering the list and before each node, and an error from a node that is not yet
   * LiquidJS's own wrapped with the node's place (so the one that ran out of time names the
   * loop it was in, with its line).
   */
  private timedSteps(templates: readonly Template[]): Step {
    const steps: TimedStep[] = [];
    for (const template of templates) {
      const step = this.node(template);
      if (step) steps.push({ template, step });
    }
    return (ctx, emitter) => {
      ctx.renderLimit.check(performance.now());
      for (const { template, step } of steps) {
        ctx.renderLimit.check(performance.now());
        try {
          step(ctx, emitter);
        } catch (error) {
          throw LiquidError.is(error) ? error : new RenderError(error as Error, template);
        }
        if (ctx.breakCalled || ctx.continueCalled) break;
      }
    };
  }

  /** A node's step; null for a node that writes nothing (a comment). */
  private node(template: Template): Step | null {
    const step = this.compiledNode(template);
    if (step !== undefined) {
      this.compiled++;
      return step;
    }
    this.interpreted.push((template as Partial<Tag>).name ?? 'output');
    this.compileChildren(template);
    return (ctx, emitter) => {
      const html: unknown = toValueSync(template.render(ctx, emitter));
      if (html) emitter.write(html);
    };
  }

  /** The node as a step, null when it writes nothing, undefined when LiquidJS renders it. */
  private compiledNode(template: Template): Step | null | undefined {
    if (template instanceof CommentTag) return null;
    if (TypeGuards.isHTMLToken(template.token) && 'str' in template) {
      const html = String(template.str);
      return (_ctx, emitter) => emitter.write(html);
    }
    if (template instanceof Output) return this.output(template);
    if (template instanceof IfTag) return this.ifTag(template);
    if (template instanceof ForTag) return this.forTag(template);
    if (template instanceof CaseTag) return this.caseTag(template);
    if (template instanceof RenderTag) return this.renderTag(template);
    if (isCompilable(template)) return template.compiled(this) ?? undefined;
    return undefined;
  }

  /** The child lists of a node LiquidJS renders are compiled in place (LiquidJS renders them through `render`). */
  private compileChildren(template: Template): void {
    if (template instanceof LayoutTag || template instanceof BlockTag) template.templates = this.list(template.templates);
    else if (template instanceof IfTag) {
      for (const branch of template.branches) branch.templates = this.list(branch.templates);
      if (template.elseTemplates) template.elseTemplates = this.list(template.elseTemplates);
    } else if (template instanceof ForTag) {
      template.templates = this.list(template.templates);
      template.elseTemplates = this.list(template.elseTemplates);
    }
  }

  private output(template: Output): Step | undefined {
    const value = this.value(template.value);
    if (!value) return undefined;
    return (ctx, emitter) => emitter.write(toValueSync(toValue(value(ctx))));
  }

  private ifTag(template: IfTag): Step | undefined {
    const branches: { test: Evaluate; body: Step }[] = [];
    for (const branch of template.branches) {
      const test = this.value(branch.value);
      if (!test) return undefined;
      branches.push({ test, body: this.steps(branch.templates) });
    }
    const otherwise = this.steps(template.elseTemplates ?? []);
    return (ctx, emitter) => {
      for (const { test, body } of branches) {
        if (isTruthy(toValue(test(ctx)), ctx)) return body(ctx, emitter);
      }
      otherwise(ctx, emitter);
    };
  }

  /**
   * `case`/`when`: every branch with a value equal to the target renders, as in LiquidJS (which
   * does not stop at the first), and `else` when none did. Values are compared by LiquidJS's `==`.
   */
  private caseTag(template: CaseTag): Step | undefined {
    const target = this.value(template.value);
    const equals = defaultOperators['=='] as Operator;
    if (!target) return undefined;
    const branches: { values: Evaluate[]; body: Step }[] = [];
    for (const branch of template.branches) {
      const values = branch.values.map((token) => this.operand(token));
      if (values.some((v) => v === null)) return undefined;
      branches.push({ values: values as Evaluate[], body: this.steps(branch.templates) });
    }
    const otherwise = this.steps(template.elseTemplates);
    return (ctx, emitter) => {
      const value: unknown = toValue(target(ctx));
      let hit = false;
      for (const { values, body } of branches) {
        if (!values.some((v) => toValueSync(equals(value, v(ctx), ctx)))) continue;
        body(ctx, emitter);
        hit = true;
      }
      if (!hit) otherwise(ctx, emitter);
    };
  }

  /** `for` without offset, limit or reversed (with them, LiquidJS renders it). */
  private forTag(template: ForTag): Step | undefined {
    if (Object.keys(template.hash.hash).length > 0) return undefined;
    const collection = this.operand(template.collection);
    if (!collection) return undefined;
    const { variable } = template;
    const text = template.collection.getText();
    const continueKey = `continue-${variable}-${text}`;
    const body = this.steps(template.templates);
    const otherwise = this.steps(template.elseTemplates);
    return (ctx, emitter) => {
      const items = toEnumerable(collection(ctx));
      if (items.length === 0) return otherwise(ctx, emitter);
      // Where this loop stopped, for a later `offset: continue`.
      ctx.setRegister(continueKey, items.length);
      const forloop = new ForloopDrop(items.length, `${variable}-${text}`);
      const scope = createScope({ forloop });
      ctx.push(scope);
      for (const item of items) {
        scope[variable] = item;
        ctx.continueCalled = ctx.breakCalled = false;
        body(ctx, emitter);
        if (ctx.breakCalled) break;
        forloop.next();
      }
      ctx.continueCalled = ctx.breakCalled = false;
      ctx.pop();
    };
  }

  /** `render 'name', key: value`: a partial of a fixed name, without `with` or `for`. */
  private renderTag(template: RenderTag): Step | undefined {
    const tag = template as unknown as RenderTagInternals;
    const { file, currentFile } = tag;
    if (typeof file !== 'string' || file === '' || tag.with || tag.forBinding) return undefined;
    const hash = this.hash(tag.hash);
    if (!hash) return undefined;
    return (ctx, emitter) => {
      const child = ctx.spawn();
      Object.assign(child.bottom(), hash(ctx));
      const templates = toValueSync(this.liquid._parsePartialFile(file, child.sync, currentFile));
      this.renderList(templates, child, emitter);
    };
  }

  /** A Value: its expression, then its filters (the output escape among them). */
  private value(value: Value): Evaluate | null {
    const initial = this.expression(value.initial.postfix);
    if (!initial) return null;
    const filters: ((input: unknown, ctx: Context) => unknown)[] = [];
    for (const filter of value.filters as unknown as FilterInternals[]) {
      const args: Evaluate[] = [];
      for (const arg of filter.args) {
        if (Array.isArray(arg)) {
          const [key, token] = arg as readonly [string, Token];
          const evaluate = this.operand(token);
          if (!evaluate) return null;
          args.push((ctx) => [key, evaluate(ctx)]);
        } else {
          const evaluate = this.operand(arg as Token);
          if (!evaluate) return null;
          args.push(evaluate);
        }
      }
      const { handler, token, liquid } = filter;
      // Most filters (the output escape among them) take no arguments: no argument list to build.
      if (args.length === 0) filters.push((input, context) => toValueSync(handler.call({ context, token, liquid }, input)));
      else filters.push((input, context) => toValueSync(handler.apply({ context, token, liquid }, [input, ...args.map((a) => a(context))])));
    }
    if (filters.length === 0) return initial;
    return (ctx) => {
      let result = initial(ctx);
      for (const filter of filters) result = filter(result, ctx);
      return result;
    };
  }

  /** An expression in postfix order, as a tree of closures that evaluates its operands in the same order. */
  private expression(postfix: readonly Token[]): Evaluate | null {
    const stack: Evaluate[] = [];
    for (const token of postfix) {
      if (!TypeGuards.isOperatorToken(token)) {
        const operand = this.operand(token);
        if (!operand) return null;
        stack.push(operand);
        continue;
      }
      const name = token.operator;
      const operator = this.liquid.options.operators[name] as Operator | undefined;
      const right = stack.pop();
      if (!operator || !right) return null;
      if (name === 'not') {
        stack.push((ctx) => toValueSync(operator(right(ctx), ctx)));
        continue;
      }
      const left = stack.pop();
      if (!left || !BINARY.has(name)) return null;
      stack.push(this.binary(name, operator, left, right));
    }
    return stack.length === 1 ? (stack[0] ?? null) : null;
  }

  private binary(name: string, operator: Operator, left: Evaluate, right: Evaluate): Evaluate {
    // LiquidJS's == between two plain values is ===; drops (nil, empty, blank) and arrays go through the operator.
    if ((name === '==' || name === '!=') && operator === defaultOperators[name]) {
      const negate = name === '!=';
      return (ctx) => {
        const l = left(ctx);
        const r = right(ctx);
        if (isPrimitive(l) && isPrimitive(r)) return (l === r) !== negate;
        return toValueSync(operator(l, r, ctx));
      };
    }
    return (ctx) => {
      const l = left(ctx);
      const r = right(ctx);
      return toValueSync(operator(l, r, ctx));
    };
  }

  /** A literal or a variable, as evalToken gives it. Ranges and grouped expressions are evaluated by LiquidJS. */
  private operand(token: Token): Evaluate | null {
    if ('content' in token) {
      const content = (token as unknown as TokenContent).content;
      return () => content;
    }
    if (!TypeGuards.isPropertyAccessToken(token) || token.variable) return (ctx): unknown => toValueSync(evalToken(token, ctx, false)) as unknown;
    const keys: Evaluate[] = [];
    const fixed: unknown[] = [];
    for (const prop of token.props) {
      if ('content' in prop) {
        const key: unknown = toValue((prop as unknown as TokenContent).content);
        fixed.push(key);
        keys.push(() => key);
      } else {
        const evaluate = this.operand(prop);
        if (!evaluate) return null;
        keys.push((ctx) => toValue(evaluate(ctx)));
      }
    }
    const [first, ...rest] = keys;
    if (!first) return null;
    if (fixed.length === keys.length) {
      const [head, ...tail] = fixed;
      return (ctx) => lookUp(ctx, head, tail);
    }
    // Keys that are variables themselves (a[b]) are all evaluated before the lookup, as in LiquidJS.
    return (ctx) => lookUp(ctx, first(ctx), rest.map((k) => k(ctx)));
  }
}

/** Context._get: the scope that holds the first key, then each key read from the last value. */
function lookUp(ctx: Context, head: unknown, tail: readonly unknown[]): unknown {
  const scope = (ctx as unknown as ContextInternals).findScope(head);
  let value: unknown = toValueSync(ctx.readProperty(scope, head as LiquidKey));
  for (const key of tail) value = toValueSync(ctx.readProperty(value as object, key as LiquidKey));
  return value;
}

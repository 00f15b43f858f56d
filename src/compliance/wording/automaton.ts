/**
 * Aho-Corasick over UTF-16 code units: built once per dictionary, then one pass over a text finds
 * every occurrence of every phrase, whatever the number of phrases.
 */
export interface Match {
  readonly start: number;
  readonly end: number;
  /** Index of the phrase in the list the automaton was built from. */
  readonly pattern: number;
}

export class Automaton {
  private readonly next: Map<number, number>[] = [new Map<number, number>()];
  private readonly fail: number[] = [0];
  /** Phrases ending at a node (its own), and the nearest node down the fail chain that has some. */
  private readonly outputs: number[][] = [[]];
  private readonly outputLink: number[] = [0];
  private readonly lengths: number[];

  constructor(patterns: readonly string[]) {
    this.lengths = patterns.map((p) => p.length);
    patterns.forEach((pattern, index) => this.insert(pattern, index));
    this.link();
  }

  get states(): number {
    return this.next.length;
  }

  private insert(pattern: string, index: number): void {
    let node = 0;
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(i);
      let child = this.next[node]!.get(code);
      if (child === undefined) {
        child = this.next.length;
        this.next.push(new Map());
        this.fail.push(0);
        this.outputs.push([]);
        this.outputLink.push(0);
        this.next[node]!.set(code, child);
      }
      node = child;
    }
    this.outputs[node]!.push(index);
  }

  /** Breadth-first: each node's fail link is the longest proper suffix that is also a prefix. */
  private link(): void {
    const queue: number[] = [...this.next[0]!.values()];
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head]!;
      for (const [code, child] of this.next[node]!) {
        let f = this.fail[node]!;
        while (f !== 0 && !this.next[f]!.has(code)) f = this.fail[f]!;
        const target = this.next[f]!.get(code);
        this.fail[child] = target !== undefined && target !== child ? target : 0;
        const fc = this.fail[child];
        this.outputLink[child] = this.outputs[fc]!.length > 0 ? fc : this.outputLink[fc]!;
        queue.push(child);
      }
    }
  }

  /** Every occurrence, overlapping ones included, ordered by end. */
  scan(text: string): Match[] {
    const found: Match[] = [];
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      while (node !== 0 && !this.next[node]!.has(code)) node = this.fail[node]!;
      node = this.next[node]!.get(code) ?? 0;
      for (let out = node; out !== 0; out = this.outputLink[out]!) {
        for (const pattern of this.outputs[out]!)
          found.push({ start: i + 1 - this.lengths[pattern]!, end: i + 1, pattern });
      }
    }
    return found;
  }
}

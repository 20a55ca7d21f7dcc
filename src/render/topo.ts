import {sortBytes} from '../model/registries-conf.js';

/**
 * A deterministic topological sort with MCO's tie-breaking (runtime-utils
 * topoGraph.Sorted): start with the nodes that have no predecessor in byte
 * order; each node popped frees its successors, which are sorted and appended
 * to the queue; a cycle is broken with the first unused node in byte order.
 */
export class TopoGraph {
  private readonly ins = new Map<string, Set<string>>();
  private readonly outs = new Map<string, Set<string>>();

  private node(n: string): void {
    if (!this.ins.has(n)) {
      this.ins.set(n, new Set());
      this.outs.set(n, new Set());
    }
  }

  addEdge(from: string, to: string): void {
    this.node(from);
    this.node(to);
    this.outs.get(from)!.add(to);
    this.ins.get(to)!.add(from);
  }

  sorted(): string[] {
    const all = sortBytes([...this.ins.keys()]);
    const pending = new Map<string, Set<string>>();
    for (const [n, s] of this.ins) pending.set(n, new Set(s));
    const used = new Set<string>();
    const queue: string[] = all.filter((n) => pending.get(n)!.size === 0);
    let head = 0;
    let allIndex = 0;
    const res: string[] = [];
    while (head < queue.length || allIndex < all.length) {
      let node: string;
      if (head < queue.length) {
        node = queue[head++]!;
        if (used.has(node)) throw new Error(`internal error in topoGraph.Sorted: node "${node}" already used`);
      } else {
        node = all[allIndex++]!;
        if (used.has(node)) continue;
      }
      used.add(node);
      res.push(node);
      const next: string[] = [];
      for (const out of this.outs.get(node)!) {
        const p = pending.get(out)!;
        p.delete(node);
        if (p.size === 0 && !used.has(out)) next.push(out);
      }
      sortBytes(next);
      queue.push(...next);
    }
    return res;
  }
}

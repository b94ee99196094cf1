/** A prefix tree of strings: insert, has and prefix queries in O(length of the key). */
export class Trie {
  private readonly root: TrieNode = { children: new Map(), terminal: false };
  private count = 0;

  get size(): number {
    return this.count;
  }

  insert(word: string): boolean {
    let node = this.root;
    for (const ch of word) {
      let next = node.children.get(ch);
      if (!next) {
        next = { children: new Map(), terminal: false };
        node.children.set(ch, next);
      }
      node = next;
    }
    if (node.terminal) return false;
    node.terminal = true;
    this.count++;
    return true;
  }

  has(word: string): boolean {
    return this.walk(word)?.terminal ?? false;
  }

  /** Every stored word that starts with `prefix`, in lexicographic order of code points. */
  withPrefix(prefix: string): string[] {
    const start = this.walk(prefix);
    if (!start) return [];
    const out: string[] = [];
    const visit = (node: TrieNode, path: string) => {
      if (node.terminal) out.push(path);
      for (const ch of [...node.children.keys()].sort()) visit(node.children.get(ch)!, path + ch);
    };
    visit(start, prefix);
    return out;
  }

  private walk(prefix: string): TrieNode | undefined {
    let node: TrieNode | undefined = this.root;
    for (const ch of prefix) {
      node = node.children.get(ch);
      if (!node) return undefined;
    }
    return node;
  }
}

interface TrieNode {
  children: Map<string, TrieNode>;
  terminal: boolean;
}

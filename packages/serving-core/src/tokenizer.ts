/** Text to token ids and back, as a generative model's config describes it. */
export interface Tokenizer {
  readonly vocabSize: number;
  /** Ids for `text`, or a RangeError naming what the vocabulary cannot spell. */
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
}

/** One token per character (code point): token i is the i-th character of the alphabet. */
export class CharacterTokenizer implements Tokenizer {
  private readonly chars: string[];
  private readonly ids: Map<string, number>;

  constructor(alphabet: string) {
    this.chars = Array.from(alphabet);
    this.ids = new Map(this.chars.map((c, i) => [c, i]));
    if (this.ids.size !== this.chars.length)
      throw new RangeError('CharacterTokenizer: the alphabet repeats a character');
  }

  get vocabSize(): number {
    return this.chars.length;
  }

  encode(text: string): number[] {
    const ids: number[] = [];
    const unknown = new Set<string>();
    for (const c of text) {
      const id = this.ids.get(c);
      if (id === undefined) unknown.add(c);
      else ids.push(id);
    }
    if (unknown.size > 0) {
      const shown = [...unknown].slice(0, 10).map((c) => JSON.stringify(c));
      throw new RangeError(
        `the text has ${unknown.size} character${unknown.size === 1 ? '' : 's'} the model's ${this.chars.length}-character alphabet lacks: ${shown.join(', ')}${unknown.size > 10 ? ', …' : ''}`,
      );
    }
    return ids;
  }

  decode(ids: readonly number[]): string {
    return ids
      .map((id) => {
        const c = this.chars[id];
        if (c === undefined)
          throw new RangeError(`token ${id} is outside the alphabet 0..${this.chars.length - 1}`);
        return c;
      })
      .join('');
  }
}

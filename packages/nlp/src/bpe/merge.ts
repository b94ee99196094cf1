/** Ranks of byte-level BPE tokens, keyed by the token's byte string (see bytes.ts). Lower rank merges first. */
export type RankMap = ReadonlyMap<string, number>;

const NONE = 0x7fffffff;

/**
 * Byte-pair encoding of one pre-split piece, as tiktoken's `_byte_pair_merge`: start from single bytes and merge the
 * adjacent pair whose concatenation has the lowest rank, until no adjacent pair is a token; push the tokens' ranks
 * (their ids) to `out`. `piece` is a byte string; every single byte must have a rank.
 */
export function bytePairEncode(piece: string, ranks: RankMap, out: number[]): void {
  const whole = ranks.get(piece);
  if (whole !== undefined) {
    out.push(whole);
    return;
  }
  const n = piece.length;
  // starts[0..parts] are the part boundaries (the last is n); pairRank[i] ranks parts i and i + 1 merged.
  const starts = new Int32Array(n + 1);
  const pairRank = new Int32Array(n);
  for (let i = 0; i <= n; i++) starts[i] = i;
  let parts = n;
  const rankOf = (i: number) =>
    i + 1 < parts ? (ranks.get(piece.substring(starts[i]!, starts[i + 2]!)) ?? NONE) : NONE;
  for (let i = 0; i < parts; i++) pairRank[i] = rankOf(i);
  for (;;) {
    let best = NONE;
    let at = -1;
    for (let i = 0; i + 1 < parts; i++) {
      const r = pairRank[i]!;
      if (r < best) {
        best = r;
        at = i;
      }
    }
    if (at < 0) break;
    // Merge parts `at` and `at + 1`: drop the boundary between them.
    starts.copyWithin(at + 1, at + 2, parts + 1);
    pairRank.copyWithin(at + 1, at + 2, parts);
    parts--;
    pairRank[at] = rankOf(at);
    if (at > 0) pairRank[at - 1] = rankOf(at - 1);
  }
  for (let i = 0; i < parts; i++) {
    const rank = ranks.get(piece.substring(starts[i]!, starts[i + 1]!));
    if (rank === undefined)
      throw new Error(
        `bytePairEncode: byte ${piece.charCodeAt(starts[i]!)} has no rank (every byte needs one)`,
      );
    out.push(rank);
  }
}

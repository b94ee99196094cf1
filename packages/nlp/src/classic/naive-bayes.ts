/**
 * Multinomial naive Bayes over bags of words (Manning, Raghavan & Schütze, Introduction to Information Retrieval,
 * §13.2): P(c | d) ∝ P(c) · Π_t P(t | c)^count(t, d), with P(t | c) = (T_ct + α) / (Σ_t′ T_ct′ + α·|V|), where T_ct
 * counts term t in the training documents of class c and V is the training vocabulary. Words not in V are ignored.
 * Computed in logs, so long documents do not underflow.
 */
export class MultinomialNaiveBayes<Label extends string | number = string | number> {
  private readonly alpha: number;
  private model: { classes: Label[]; logPrior: number[]; logLikelihood: Map<string, number>[] } | undefined;

  /** `alpha`: additive (Laplace when 1, Lidstone below) smoothing of the term probabilities. */
  constructor(options: { alpha?: number } = {}) {
    const { alpha = 1 } = options;
    if (!(alpha > 0)) throw new RangeError(`MultinomialNaiveBayes: alpha must be > 0, got ${alpha}`);
    this.alpha = alpha;
  }

  fit(documents: readonly (readonly string[])[], labels: readonly Label[]): this {
    if (documents.length === 0) throw new Error('MultinomialNaiveBayes.fit: no training documents');
    if (documents.length !== labels.length)
      throw new RangeError(
        `MultinomialNaiveBayes.fit: ${documents.length} documents but ${labels.length} labels (one label per document)`,
      );
    const classes = [...new Set(labels)];
    const termCounts = classes.map(() => new Map<string, number>());
    const totals = classes.map(() => 0);
    const docCounts = classes.map(() => 0);
    const vocabulary = new Set<string>();
    documents.forEach((document, d) => {
      const c = classes.indexOf(labels[d]!);
      docCounts[c]!++;
      for (const term of document) {
        termCounts[c]!.set(term, (termCounts[c]!.get(term) ?? 0) + 1);
        totals[c]!++;
        vocabulary.add(term);
      }
    });
    const V = vocabulary.size;
    this.model = {
      classes,
      logPrior: docCounts.map((n) => Math.log(n / documents.length)),
      logLikelihood: termCounts.map((counts, c) => {
        const denominator = totals[c]! + this.alpha * V;
        return new Map(
          [...vocabulary].map((t) => [t, Math.log(((counts.get(t) ?? 0) + this.alpha) / denominator)]),
        );
      }),
    };
    return this;
  }

  /** log P(c) + Σ log P(t | c) for each class, in the order of `classes`. */
  jointLogLikelihood(document: readonly string[]): { classes: Label[]; scores: number[] } {
    const model = this.fitted();
    const scores = model.logPrior.map((prior, c) => {
      let score = prior;
      for (const term of document) score += model.logLikelihood[c]!.get(term) ?? 0; // not in V: ignored
      return score;
    });
    return { classes: model.classes, scores };
  }

  /** P(c | document) for each class (a softmax of the joint log-likelihoods). */
  predictProba(document: readonly string[]): Map<Label, number> {
    const { classes, scores } = this.jointLogLikelihood(document);
    const top = Math.max(...scores);
    const exp = scores.map((s) => Math.exp(s - top));
    const sum = exp.reduce((a, b) => a + b, 0);
    return new Map(classes.map((c, i) => [c, exp[i]! / sum]));
  }

  predict(document: readonly string[]): Label {
    const { classes, scores } = this.jointLogLikelihood(document);
    let best = 0;
    for (let c = 1; c < scores.length; c++) if (scores[c]! > scores[best]!) best = c;
    return classes[best]!;
  }

  private fitted() {
    if (!this.model) throw new Error('MultinomialNaiveBayes: call fit(documents, labels) before predicting');
    return this.model;
  }
}

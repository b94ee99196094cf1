import { loadSentiment } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import { winkNaiveBayesClassifier } from '../bench/wink.js';
import { crossValidate, ourNaiveBayes, ourTfidfLogistic } from '../src/classic/sentiment.js';
import { MultinomialNaiveBayes, words } from '../src/index.js';

describe('MultinomialNaiveBayes', () => {
  it('reproduces the worked example of Manning, Raghavan & Schütze (IR book, example 13.1)', () => {
    const docs = [
      ['chinese', 'beijing', 'chinese'],
      ['chinese', 'chinese', 'shanghai'],
      ['chinese', 'macao'],
      ['tokyo', 'japan', 'chinese'],
    ];
    const model = new MultinomialNaiveBayes<string>().fit(docs, ['china', 'china', 'china', 'japan']);
    const test = ['chinese', 'chinese', 'chinese', 'tokyo', 'japan'];
    const { classes, scores } = model.jointLogLikelihood(test);
    const joint = Object.fromEntries(classes.map((c, i) => [c, Math.exp(scores[i]!)]));
    // The book: P(c | d5) ∝ 3/4 · (3/7)³ · 1/14 · 1/14 ≈ 0.0003 and P(c̄ | d5) ∝ 1/4 · (2/9)³ · 2/9 · 2/9 ≈ 0.0001.
    expect(joint.china).toBeCloseTo((3 / 4) * (3 / 7) ** 3 * (1 / 14) ** 2, 15);
    expect(joint.japan).toBeCloseTo((1 / 4) * (2 / 9) ** 5, 15);
    expect(model.predict(test)).toBe('china');
    const p = model.predictProba(test);
    expect(p.get('china')! + p.get('japan')!).toBeCloseTo(1, 15);
  });

  it('says what is wrong', () => {
    expect(() => new MultinomialNaiveBayes().predict(['a'])).toThrow(
      'MultinomialNaiveBayes: call fit(documents, labels) before predicting',
    );
    expect(() => new MultinomialNaiveBayes().fit([['a']], [0, 1])).toThrow(
      'MultinomialNaiveBayes.fit: 1 documents but 2 labels (one label per document)',
    );
    expect(() => new MultinomialNaiveBayes({ alpha: 0 })).toThrow(
      'MultinomialNaiveBayes: alpha must be > 0, got 0',
    );
  });
});

describe('sentiment, 10-fold cross-validation beside wink-naive-bayes-text-classifier', () => {
  it('ours is at least as accurate as the peer on the same folds and the same words', () => {
    const data = loadSentiment();
    const [ours, peer] = crossValidate(data, [ourNaiveBayes, winkNaiveBayesClassifier]);
    expect(ours!.accuracy).toBeGreaterThanOrEqual(peer!.accuracy);
    expect(ours!.accuracy).toBeGreaterThan(0.8);
  });

  it('TF-IDF + logistic regression, cross-validated on the same folds, is as accurate as naive Bayes within a point', () => {
    const [nb, lr] = crossValidate(loadSentiment(), [ourNaiveBayes, ourTfidfLogistic(10)]);
    expect(lr!.accuracy).toBeGreaterThan(nb!.accuracy - 0.01);
  });

  it('both Laplace-smoothed multinomial naive Bayes: trained on the same 2,700 sentences, they agree on all 3,000', () => {
    const data = loadSentiment();
    const documents = data.map((s) => words(s.text));
    const labels = data.map((s) => s.label as number);
    const ours = ourNaiveBayes.train(documents.slice(0, 2700), labels.slice(0, 2700));
    const peer = winkNaiveBayesClassifier.train(documents.slice(0, 2700), labels.slice(0, 2700));
    expect(documents.filter((d) => ours(d) !== peer(d))).toEqual([]);
  });
});

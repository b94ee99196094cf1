// wink-naive-bayes-text-classifier, the peer of our naive Bayes, behind the interface our cross-validation drives.
// It is given the same words as ours (a list of tokens needs no preparation tasks), so only the classifiers differ.
import winkNaiveBayes from 'wink-naive-bayes-text-classifier';
import type { TextClassifier } from '../src/classic/sentiment.js';

export const winkNaiveBayesClassifier: TextClassifier = {
  name: 'wink-naive-bayes-text-classifier',
  train: (documents, labels) => {
    const nbc = winkNaiveBayes();
    for (const [i, d] of documents.entries()) nbc.learn([...d], String(labels[i]));
    nbc.consolidate();
    return (d) => Number(nbc.predict([...d]));
  },
};

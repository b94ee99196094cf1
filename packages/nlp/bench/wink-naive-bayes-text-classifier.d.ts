// The part of wink-naive-bayes-text-classifier's API (it ships no types) that bench/wink.ts uses.
declare module 'wink-naive-bayes-text-classifier' {
  interface NaiveBayesTextClassifier {
    learn(input: string | string[], label: string): boolean;
    consolidate(): boolean;
    predict(input: string | string[]): string;
  }
  export default function winkNaiveBayes(): NaiveBayesTextClassifier;
}

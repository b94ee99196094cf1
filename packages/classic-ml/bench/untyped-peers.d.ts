/** The parts of the untyped peer packages the bench calls. */
declare module 'libsvm-js' {
  const loading: Promise<unknown>;
  export default loading;
}
declare module 'ml-cart' {
  interface Tree {
    train(X: number[][], y: number[]): void;
    predict(X: number[][]): number[];
  }
  export class DecisionTreeClassifier implements Tree {
    constructor(options?: Record<string, unknown>);
    train(X: number[][], y: number[]): void;
    predict(X: number[][]): number[];
  }
  export class DecisionTreeRegression implements Tree {
    constructor(options?: Record<string, unknown>);
    train(X: number[][], y: number[]): void;
    predict(X: number[][]): number[];
  }
}
declare module 'ml-knn' {
  export default class KNN {
    constructor(X: number[][], y: number[], options?: { k?: number });
    predict(X: number[][]): number[];
  }
}
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';
  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    train(X: Matrix, y: Matrix): void;
    predict(X: Matrix): number[];
  }
}
declare module 'ml-naivebayes' {
  export class GaussianNB {
    train(X: number[][], y: number[]): void;
    predict(X: number[][]): number[];
  }
}
declare module 'ml-random-forest' {
  export class RandomForestClassifier {
    constructor(options?: Record<string, unknown>);
    train(X: number[][], y: number[]): void;
    predict(X: number[][]): number[];
  }
  export class RandomForestRegression {
    constructor(options?: Record<string, unknown>);
    train(X: number[][], y: number[]): void;
    predict(X: number[][]): number[];
  }
}

export { loadBostonHousing } from './boston.js';
export { type AnnualSeries, loadCo2, loadGlobalTemperature, type MonthlySeries } from './co2.js';
export { DatasetError } from './errors.js';
export { packageDir } from './files.js';
export { type EdgeListGraph, type KarateClubGraph, loadFlightsAirport, loadKarateClub } from './graphs.js';
export { loadIris } from './iris.js';
export {
  loadMnist,
  loadMnistAll,
  MNIST_COLS,
  MNIST_PIXELS,
  MNIST_ROWS,
  MNIST_TOTAL,
  type MnistOptions,
  type MnistSet,
  type MnistSplit,
} from './mnist.js';
export { loadPenguins, type PenguinsDataset } from './penguins.js';
export { gaussian, mulberry32, seededPermutation } from './random.js';
export {
  type ClassificationDataset,
  type RegressionDataset,
  type SplitOptions,
  selectRows,
  type TabularDataset,
  type TrainTestSplit,
  trainTestSplit,
} from './tabular.js';
export {
  type Book,
  type BookSection,
  type LabelledSentence,
  loadMobyDick,
  loadSentiment,
  SENTIMENT_SOURCES,
  type SentimentSource,
} from './text.js';

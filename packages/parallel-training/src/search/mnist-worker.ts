/** A trial worker for the MNIST MLP searches (workerExecutor): trains each trial it is sent. */
import { workerData } from 'node:worker_threads';
import { trainMnistTrial } from './mnist-trial.js';
import { serveTrials } from './pool.js';

const { seed } = (workerData ?? {}) as { seed?: number };
serveTrials((config, epochs, onEpoch) => trainMnistTrial(config, epochs, onEpoch, { seed }));

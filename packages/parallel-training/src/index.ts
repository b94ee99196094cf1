/** Data, tensor and pipeline parallelism from scratch: the ring all-reduce and its two transports. */

export {
  fitLink,
  INTERCONNECTS,
  type Link,
  mlpStepFlops,
  predictStep,
  ringAllReduceSeconds,
  type StepModel,
  type StepPrediction,
} from './cost-model.js';
export {
  buildMlp,
  type DataParallelConfig,
  MNIST_MLP,
  type ReplicaLog,
  type Sync,
  trainReplica,
  WIDE_MLP,
} from './data-parallel.js';
export { concurrentMatmulFlops } from './flops.js';
export { freePort, type LaunchOptions, launchProcesses, runRank } from './launch.js';
export {
  type Bucket,
  BucketedAllReduce,
  type CommTransport,
  flatLayout,
  makeBuckets,
} from './overlap.js';
export { Peer } from './peer.js';
export {
  bubbleFormula,
  type PipelineRunOptions,
  type PipelineSchedule,
  type PipelineTimeline,
  type PipeOp,
  pipelineSchedule,
  runPipeline,
  type StageReport,
  simulatePipeline,
} from './pipeline.js';
export { chunkStart, type RingLink, ringAllReduce } from './ring.js';
export { parameterCount, runDataParallel, type Strategy } from './run.js';
export { MNIST_SPACE, trainMnistTrial } from './search/mnist-trial.js';
export { serveTrials, type TrialFunction, workerExecutor } from './search/pool.js';
export {
  type EarlyStopping,
  inlineExecutor,
  runSearch,
  type SearchResult,
  type TrialExecutor,
} from './search/run.js';
export {
  bestOf,
  gridSearch,
  hyperband,
  hyperbandBrackets,
  randomSearch,
  type Searcher,
  type TrialOutcome,
  type TrialRequest,
  tpe,
} from './search/searchers.js';
export {
  type Config,
  checkSpace,
  fromUnit,
  gridConfigs,
  type Param,
  type Space,
  sampleConfig,
  toUnit,
} from './search/space.js';
export {
  type ConnectOptions,
  connectGroup,
  groupFromEnv,
  type ProcessGroupEnv,
  type TcpGroup,
} from './tcp.js';
export { type AllReduceSum, MegatronMlp, type MlpWeights } from './tensor-parallel.js';
export {
  RankFailure,
  runThreadGroup,
  siblingModule,
  type ThreadGroupData,
  type ThreadGroupOptions,
  threadLink,
} from './threads.js';
export { allReduceSeconds, timeAllReduces } from './timing.js';

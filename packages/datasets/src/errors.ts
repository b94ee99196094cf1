/** Thrown when a dataset file is missing, unreadable or does not hold what the loader expects. */
export class DatasetError extends Error {
  constructor(
    readonly dataset: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${dataset}: ${message}`, options);
    this.name = 'DatasetError';
  }
}

/** Why a request was not served; the HTTP layer maps each code to a status. */
export type ServingErrorCode =
  | 'INVALID_INPUT'
  | 'MODEL_NOT_FOUND'
  | 'MODEL_NOT_READY'
  | 'OVERLOADED'
  | 'DEADLINE_EXCEEDED'
  | 'SHUTTING_DOWN'
  | 'INFERENCE_FAILED';

export class ServingError extends Error {
  override name = 'ServingError';
  constructor(
    readonly code: ServingErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The queue is full: try again later (HTTP 503 with Retry-After). */
export class Overloaded extends ServingError {
  constructor(model: string, limit: number) {
    super('OVERLOADED', `model ${model}: queue full (${limit} requests waiting); retry later`);
  }
}

export class DeadlineExceeded extends ServingError {
  constructor(model: string, waitedMs: number) {
    super(
      'DEADLINE_EXCEEDED',
      `model ${model}: deadline passed after ${waitedMs.toFixed(0)} ms in the queue`,
    );
  }
}

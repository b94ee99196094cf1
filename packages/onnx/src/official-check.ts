import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface OfficialCheck {
  /** The onnx Python package's version. */
  onnx: string;
  /** "ok", or the checker's message. */
  checker: string;
  /** Node outputs shape inference gave no shape. */
  uninferred: string[];
  /** Graph outputs' inferred shapes (a dimension's number or symbolic name), null where unknown. */
  outputs: Record<string, (number | string)[] | null>;
  inferenceError?: string;
}

const SCRIPT = fileURLToPath(new URL('../scripts/official-check.py', import.meta.url));

/** Where the official checker can run: Debian's /usr/bin/python3 with python3-onnx, or any python3 with onnx. */
export function officialCheckerPython(): string | undefined {
  for (const python of ['/usr/bin/python3', 'python3']) {
    const probe = spawnSync(python, ['-c', 'import onnx'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return undefined;
}

/**
 * Runs the official ONNX checker (onnx.checker.check_model, full check) and shape inference on a model, in Python.
 * A development check, not a runtime one: it needs the onnx Python package (`apt-get install python3-onnx`).
 */
export function officialCheck(bytes: Uint8Array, python = officialCheckerPython()): OfficialCheck {
  if (!python)
    throw new Error(
      'officialCheck: no python3 with the onnx package; install it with `apt-get install python3-onnx` (Debian) or `pip install onnx`',
    );
  const run = spawnSync(python, [SCRIPT], { input: bytes, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`officialCheck: ${python} ${SCRIPT} failed: ${run.stderr}`);
  const { inference_error, ...result } = JSON.parse(run.stdout);
  return { ...result, ...(inference_error ? { inferenceError: inference_error } : {}) };
}

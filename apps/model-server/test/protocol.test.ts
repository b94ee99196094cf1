import { rmSync } from 'node:fs';
import { noGrad, Tensor } from '@mle/autograd';
import * as T from '@mle/tensor';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inferBody, scratch, startServer, tinyClassifier, tinyRepository } from './helpers.js';

let server: Awaited<ReturnType<typeof startServer>>;
beforeAll(async () => {
  server = await startServer(tinyRepository());
});
afterAll(async () => {
  await server.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('Open Inference Protocol v2 over real HTTP', () => {
  it('server metadata, liveness and readiness', async () => {
    expect(await server.call('/v2')).toMatchObject({
      status: 200,
      json: { name: 'mle-model-server', extensions: ['binary_tensor_data'] },
    });
    expect(await server.call('/v2/health/live')).toMatchObject({ status: 200, json: { live: true } });
    expect(await server.call('/v2/health/ready')).toMatchObject({ status: 200, json: { ready: true } });
  });

  it('model metadata and readiness, with and without a version', async () => {
    const meta = await server.call('/v2/models/tiny');
    expect(meta.json).toEqual({
      name: 'tiny',
      versions: ['1'],
      platform: 'onnxruntime_onnx',
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'output', datatype: 'FP32', shape: [-1, 3] }],
      parameters: { labels: ['a', 'b', 'c'] },
    });
    expect((await server.call('/v2/models/tiny/versions/1')).json).toEqual(meta.json);
    expect(await server.call('/v2/models/tiny/ready')).toMatchObject({
      status: 200,
      json: { name: 'tiny', ready: true },
    });
    expect(await server.call('/v2/models/tiny/versions/1/ready')).toMatchObject({ status: 200 });
    expect(await server.call('/v2/models/tiny/versions/7/ready')).toMatchObject({
      status: 404,
      json: { error: 'model tiny version 7 is not available (serving version 1)' },
    });
  });

  it('infer answers in the protocol shape, equal to our forward pass (the protocol docs example, FP32)', async () => {
    // The request of the protocol's own example: an id, nested row-major data, a requested output.
    const body = {
      id: '42',
      inputs: [
        {
          name: 'input',
          shape: [2, 4],
          datatype: 'FP32',
          data: [
            [1, 2, 3, 4],
            [5, 6, 7, 8],
          ],
        },
      ],
      outputs: [{ name: 'output' }],
    };
    const { status, json } = await server.call('/v2/models/tiny/infer', { body });
    expect(status).toBe(200);
    expect(Object.keys(json).sort()).toEqual(['id', 'model_name', 'model_version', 'outputs']);
    expect(json).toMatchObject({ id: '42', model_name: 'tiny', model_version: '1' });
    const [output] = json.outputs as { name: string; datatype: string; shape: number[]; data: number[] }[];
    expect(output).toMatchObject({ name: 'output', datatype: 'FP32', shape: [2, 3] });
    const ours = noGrad(() =>
      tinyClassifier()
        .eval()
        .forward(
          new Tensor(
            T.array([
              [1, 2, 3, 4],
              [5, 6, 7, 8],
            ]),
          ),
        ),
    ).value.data;
    output!.data.forEach((v, i) => expect(v).toBeCloseTo(ours[i]!, 6));
    expect((await server.call('/v2/models/tiny/versions/1/infer', { body })).status).toBe(200);
  });

  it('refuses bad requests with 400/404/413, naming the field', async () => {
    const bad = async (body: unknown) => server.call('/v2/models/tiny/infer', { body });
    const tensor = (over: Record<string, unknown>) => ({
      inputs: [{ name: 'input', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4], ...over }],
    });
    expect(await bad(tensor({ datatype: 'UINT32' }))).toMatchObject({
      status: 400,
      json: {
        error: 'inputs[0] (input).datatype: "UINT32" is not supported; expected one of FP32, INT32, INT64',
      },
    });
    expect(await bad(tensor({ data: [1, 2, 3] }))).toMatchObject({
      status: 400,
      json: { error: 'inputs[0] (input).data: 3 values for shape [1,4] (expected 4)' },
    });
    expect(await bad(tensor({ data: [1, 2, null, 4] }))).toMatchObject({
      status: 400,
      json: { error: 'inputs[0] (input).data[2]: null is not a finite number' },
    });
    expect(await bad(tensor({ data: [1, 2, 'x', 4] }))).toMatchObject({
      status: 400,
      json: { error: 'inputs[0] (input).data[2]: "x" is not a finite number' },
    });
    expect(await bad(tensor({ shape: [1, 5], data: [1, 2, 3, 4, 5] }))).toMatchObject({
      status: 400,
      json: { error: 'inputs (input).shape: [1,5], model expects [batch, 4]' },
    });
    expect(await bad(tensor({ name: 'x' }))).toMatchObject({
      status: 400,
      json: { error: 'inputs: model tiny has no input "x" (it takes input)' },
    });
    expect(await bad({ inputs: [] })).toMatchObject({ status: 400 });
    expect((await bad({ inputs: [] })).json.error).toMatch(/^inputs: /);
    expect(await bad(tensor({ shape: [9, 4], data: new Array(36).fill(0) }))).toMatchObject({
      status: 400,
      json: { error: 'model tiny: batch of 9 rows, max_batch_size is 8' },
    });
    expect(await server.call('/v2/models/nope/infer', { body: tensor({}) })).toMatchObject({
      status: 404,
      json: { error: 'no model named "nope"' },
    });
    expect(await server.call('/v2/models/..%2F..%2Fetc/infer', { body: tensor({}) })).toMatchObject({
      status: 404,
    });
    expect(await server.call('/v2/models/tiny/infer', { raw: '{"inputs": [' })).toMatchObject({
      status: 400,
    });
    expect((await server.call('/v2/models/tiny/infer', { raw: '{"inputs": [' })).json.error).toMatch(
      /^malformed JSON: /,
    );
    const huge = await server.call('/v2/models/tiny/infer', {
      body: {
        inputs: [{ name: 'input', shape: [1, 4], datatype: 'FP32', data: new Array(20_000).fill(1.5) }],
      },
    });
    expect(huge).toMatchObject({
      status: 413,
      json: { error: 'request body larger than the 65536 byte limit' },
    });
    expect(await server.call('/nowhere')).toMatchObject({
      status: 404,
      json: { error: 'no route GET /nowhere' },
    });
  });

  it('refuses nesting that is not the shape, at any depth, without recursing', async () => {
    const raw = (data: string) =>
      server.call('/v2/models/tiny/infer', {
        raw: `{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":${data}}]}`,
      });
    // 30,000 levels (60 kB, inside the test server's 64 KiB limit): a recursive flatten overflows its stack.
    const deep = await raw(`${'['.repeat(30_000)}0${']'.repeat(30_000)}`);
    expect(deep).toMatchObject({
      status: 400,
      json: { error: 'inputs[0] (input).data[0]: 1 value where dimension 1 of shape [1,4] has 4' },
    });
    expect(await raw('[[[1],[2],[3],[4]]]')).toMatchObject({
      status: 400,
      json: { error: 'inputs[0] (input).data[0][0]: an array where shape [1,4] puts a value' },
    });
    expect(await raw('[[1,2,3],[4]]')).toMatchObject({
      status: 400,
      json: { error: 'inputs[0] (input).data: 2 values where dimension 0 of shape [1,4] has 1' },
    });
    expect(await raw('[1,[2,3],4]')).toMatchObject({
      status: 400,
      json: { error: 'inputs[0] (input).data: 3 values where dimension 0 of shape [1,4] has 1' },
    });
    expect(await raw('[[1,2,3,4]]')).toMatchObject({ status: 200 });
  });

  it('refuses an output the model does not have, and a name given twice', async () => {
    const input = { name: 'input', shape: [1, 4], datatype: 'FP32', data: [1, 2, 3, 4] };
    const call = (body: unknown) => server.call('/v2/models/tiny/infer', { body });
    expect(await call({ inputs: [input], outputs: [{ name: 'nope' }] })).toMatchObject({
      status: 400,
      json: { error: 'outputs[0].name: model tiny has no output "nope" (it has output)' },
    });
    expect(await call({ inputs: [input, input] })).toMatchObject({
      status: 400,
      json: { error: 'inputs[1].name: "input" is given twice (also inputs[0])' },
    });
    expect(await call({ inputs: [input], outputs: [{ name: 'output' }, { name: 'output' }] })).toMatchObject({
      status: 400,
      json: { error: 'outputs[1].name: "output" is given twice (also outputs[0])' },
    });
  });

  it('never answers 500 and never dies, whatever the body (fast-check)', async () => {
    const value = fc.oneof(fc.double(), fc.integer(), fc.string(), fc.constant(null), fc.boolean());
    const tensorArb = fc.record(
      {
        name: fc.oneof(fc.constant('input'), fc.string()),
        shape: fc.array(fc.integer({ min: -2, max: 9 }), { maxLength: 3 }),
        datatype: fc.constantFrom('FP32', 'INT32', 'INT64', 'BOOL', 'x'),
        data: fc.oneof(
          fc.array(value, { maxLength: 40 }),
          fc.array(fc.array(value, { maxLength: 5 }), { maxLength: 8 }),
        ),
      },
      { requiredKeys: [] },
    );
    // Names the model has, names it does not, and the same name twice.
    const outputArb = fc.record({ name: fc.oneof(fc.constant('output'), fc.constant('nope'), fc.string()) });
    type Request = { inputs: { name?: string }[]; outputs?: { name: string }[] };
    const repeats = (names: unknown[]) => new Set(names).size !== names.length;
    /** What the server must refuse whatever else is in the body: a repeated name, an output it does not have. */
    const refused = (r: Request) => {
      const outputs = (r.outputs ?? []).map((o) => o.name);
      return repeats(r.inputs.map((t) => t.name)) || repeats(outputs) || outputs.some((n) => n !== 'output');
    };
    const requestArb = fc.record(
      {
        inputs: fc.array(tensorArb, { maxLength: 3 }),
        outputs: fc.array(outputArb, { maxLength: 3 }),
        id: fc.option(fc.string(), { nil: undefined }),
      },
      { requiredKeys: ['inputs'] },
    );
    // Requests the model can answer, and the same with a repeated input or an output it does not have.
    const validTensor = fc.integer({ min: 1, max: 4 }).chain((rows) =>
      fc.record({
        name: fc.constant('input'),
        shape: fc.constant([rows, 4]),
        datatype: fc.constant('FP32'),
        data: fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), {
          minLength: rows * 4,
          maxLength: rows * 4,
        }),
      }),
    );
    const validArb = fc.record(
      {
        inputs: fc.array(validTensor, { minLength: 1, maxLength: 2 }),
        outputs: fc.array(outputArb, { maxLength: 2 }),
      },
      { requiredKeys: ['inputs'] },
    );
    // Data nested up to 20,000 levels deep around one value, written as text (JSON.stringify itself recurses).
    const deepArb = fc
      .tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('0', '1.5', '"x"', 'null', '[]'))
      .map(
        ([depth, leaf]) =>
          `{"inputs":[{"name":"input","shape":[1,4],"datatype":"FP32","data":${'['.repeat(depth)}${leaf}${']'.repeat(depth)}}]}`,
      );
    // Each case as the text sent and, where the body decides it, the status the server must answer.
    const caseArb = fc.oneof(
      validArb.map((r) => ({ raw: JSON.stringify(r), must: refused(r) ? 400 : 200 })),
      requestArb.map((r) => ({ raw: JSON.stringify(r), must: refused(r) ? 400 : undefined })),
      deepArb.map((raw) => ({ raw, must: 400 })),
      fc.jsonValue().map((v) => ({ raw: JSON.stringify(v) ?? 'null', must: undefined })),
      fc.string().map((raw) => ({ raw, must: undefined })),
    );
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ raw, must }) => {
        const { status } = await server.call('/v2/models/tiny/infer', { raw });
        expect([200, 400, 404, 413]).toContain(status);
        if (must !== undefined) expect(status, raw.slice(0, 300)).toBe(must);
      }),
      { numRuns: 300, seed: 7 },
    );
    expect((await server.call('/v2/models/tiny/infer', { body: inferBody([[1, 2, 3, 4]]) })).status).toBe(
      200,
    );
  });

  it('exposes Prometheus metrics by route, model and status, and batch sizes', async () => {
    const { text, headers } = await server.call('/metrics');
    expect(headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/mle_http_requests_total\{route="infer",model="tiny",status="200"\} \d+/);
    expect(text).toMatch(/mle_http_requests_total\{route="infer",model="tiny",status="400"\} \d+/);
    expect(text).toContain('mle_http_request_duration_seconds_bucket');
    expect(text).toMatch(/mle_inference_batch_size_count\{model="tiny"\} \d+/);
    expect(text).toContain('mle_inference_queue_depth{model="tiny"} 0');
  });

  it('binary tensor data: raw float32 in, raw float32 out, equal to the JSON answer', async () => {
    const rows = [
      [1, 2, 3, 4],
      [0.5, -1, 2, 0],
    ];
    const values = Float32Array.from(rows.flat());
    const header = Buffer.from(
      JSON.stringify({
        inputs: [
          {
            name: 'input',
            shape: [2, 4],
            datatype: 'FP32',
            parameters: { binary_data_size: values.byteLength },
          },
        ],
        parameters: { binary_data_output: true },
      }),
    );
    const response = await fetch(`${server.base}/v2/models/tiny/infer`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(header.length),
      },
      body: Buffer.concat([header, Buffer.from(values.buffer)]),
    });
    if (response.status !== 200) throw new Error(await response.text());
    const length = Number(response.headers.get('inference-header-content-length'));
    const bytes = Buffer.from(await response.arrayBuffer());
    const head = JSON.parse(bytes.subarray(0, length).toString());
    expect(head.outputs[0]).toEqual({
      name: 'output',
      datatype: 'FP32',
      shape: [2, 3],
      parameters: { binary_data_size: 24 },
    });
    const binary = Array.from(new Float32Array(new Uint8Array(bytes.subarray(length)).buffer));
    const viaJson = (await server.call('/v2/models/tiny/infer', { body: inferBody(rows) })).json.outputs as {
      data: number[];
    }[];
    expect(binary).toEqual(viaJson[0]!.data);
    const short = await fetch(`${server.base}/v2/models/tiny/infer`, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(header.length),
      },
      body: Buffer.concat([header, Buffer.from(values.buffer).subarray(0, 10)]),
    });
    expect(short.status).toBe(400);
    expect(((await short.json()) as { error: string }).error).toBe(
      'inputs[0].parameters.binary_data_size: 32 bytes do not fit the body',
    );
  });
});

import { type ModelSummary, readModel } from '@mle/onnx-runtime';
import { formatTable } from '@mle/report';

export function inspectText(summary: ModelSummary): string {
  const shape = (dims: readonly (number | string | null)[]) => `[${dims.map((d) => d ?? '?').join(', ')}]`;
  const lines = [
    `producer: ${summary.producer || '(none)'}   IR version ${summary.irVersion}   opsets: ${summary.opsets.map((o) => `${o.domain || 'ai.onnx'} ${o.version}`).join(', ')}`,
    `parameters: ${summary.parameterCount.toLocaleString('en-US')} (${(summary.initializerBytes / 2 ** 20).toFixed(2)} MiB)   nodes: ${summary.nodeCount}`,
    '',
    formatTable(
      ['', 'name', 'dtype', 'shape'],
      [
        ...summary.inputs.map((v) => ['input', v.name, v.dtype, shape(v.shape)]),
        ...summary.outputs.map((v) => ['output', v.name, v.dtype, shape(v.shape)]),
      ],
    ),
    '',
    formatTable(['op', 'count'], summary.opCounts),
  ];
  const metadata = Object.entries(summary.metadata);
  if (metadata.length > 0) lines.push('', formatTable(['metadata', 'value'], metadata));
  if (summary.docString) lines.push('', summary.docString);
  return lines.join('\n');
}

export function inspect(path: string, json: boolean): string {
  const summary = readModel(path);
  return json ? JSON.stringify(summary) : inspectText(summary);
}

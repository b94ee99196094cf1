import { readFileSync } from 'node:fs';
import { DockerfileParser } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Service } from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const file = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('Dockerfile', () => {
  const text = file('Dockerfile');
  it('passes dockerfile-utils lint', () => {
    expect(validate(text).map((d) => `${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it('is multi-stage on Debian slim, prunes with turbo, installs dependencies before sources, runs as node with a health check', () => {
    const instructions = DockerfileParser.parse(text).getInstructions();
    const lines = instructions.map((i) => `${i.getKeyword()} ${i.getArgumentsContent()}`);
    const froms = lines.filter((l) => l.startsWith('FROM'));
    expect(froms.every((l) => l.includes('node:20-bookworm-slim') || /^FROM base AS/.test(l))).toBe(true);
    expect(froms.some((l) => l.includes('alpine'))).toBe(false);
    expect(lines).toContain('RUN turbo prune @mle/model-server --docker');
    // Lifecycle scripts stay off: the manifests-only layer has none of the sources they run.
    const install = lines.indexOf('RUN pnpm install --frozen-lockfile --ignore-scripts');
    const sources = lines.indexOf('COPY /repo/out/full/ .'); // the --from flag is not part of the arguments
    expect(install).toBeGreaterThan(-1);
    expect(install).toBeLessThan(sources);
    // The runtime stage: the server's production closure only, no training, dataset or chart package.
    const runner = lines.slice(lines.findIndex((l) => / AS runner$/.test(l)));
    expect(
      runner.some((l) => l.includes('--prod') && l.includes('--filter-prod "@mle/model-server..."')),
    ).toBe(true);
    const copied = runner.flatMap((l) => l.match(/packages\/[a-z-]+/g) ?? []);
    expect([...new Set(copied)].sort()).toEqual([
      'packages/decoding',
      'packages/onnx-runtime',
      'packages/serving-core',
      'packages/tensor',
    ]);
    expect(lines).toContain('USER node');
    expect(lines.find((l) => l.startsWith('HEALTHCHECK'))).toContain('/v2/health/ready');
  });
});

describe('Kubernetes manifests', () => {
  it('the Deployment validates, probes the v2 health routes and runs as non-root with resources', () => {
    const deployment = new Deployment(parse(file('k8s/deployment.yaml')));
    deployment.validate();
    const pod = deployment.spec!.template.spec!;
    const container = pod.containers[0]!;
    expect(container.readinessProbe?.httpGet?.path).toBe('/v2/health/ready');
    expect(container.livenessProbe?.httpGet?.path).toBe('/v2/health/live');
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(container.resources?.requests).toBeDefined();
    expect(container.resources?.limits).toBeDefined();
    expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
  });

  it('the Service and the HorizontalPodAutoscaler validate and point at the Deployment', () => {
    const service = new Service(parse(file('k8s/service.yaml')));
    service.validate();
    expect(service.spec!.selector).toEqual({ app: 'mle-model-server' });
    const hpa = new HorizontalPodAutoscaler(parse(file('k8s/hpa.yaml')));
    hpa.validate();
    expect(hpa.spec!.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'mle-model-server' });
    expect(hpa.spec!.minReplicas).toBeGreaterThanOrEqual(2);
  });

  it('docker-compose runs two replicas behind nginx', () => {
    const [compose] = parseAllDocuments(file('docker-compose.yml')).map((d) => d.toJSON());
    expect(compose.services['model-server'].deploy.replicas).toBe(2);
    expect(compose.services.proxy.image).toMatch(/^nginx:/);
    expect(file('deploy/nginx.conf')).toContain('proxy_pass http://model_server;');
  });
});

/**
 * The text-generation page: sends the prompt and sampling settings to the generate_stream route and appends each
 * streamed token as it arrives (Server-Sent Events over fetch, so the request is a POST and Stop can abort it; the
 * server then frees the request's slot). Plain DOM code, bundled by esbuild at build time.
 */
const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const form = $<HTMLFormElement>('#form');
const modelSelect = $<HTMLSelectElement>('#model');
const generateButton = $<HTMLButtonElement>('#generate');
const cancelButton = $<HTMLButtonElement>('#cancel');
const echo = $<HTMLSpanElement>('#prompt-echo');
const generated = $<HTMLSpanElement>('#generated');
const stats = $<HTMLParagraphElement>('#stats');
let running: AbortController | undefined;

/** The generative models the server lists (OpenAI's /v1/models). */
async function loadModels(): Promise<void> {
  const response = await fetch('/v1/models');
  const { data } = (await response.json()) as { data: { id: string }[] };
  modelSelect.replaceChildren(...data.map((m) => new Option(m.id, m.id)));
  if (data.length === 0) stats.textContent = 'The server has no generative model.';
}

const numberOf = (id: string) => {
  const value = $<HTMLInputElement>(id).value.trim();
  return value === '' ? undefined : Number(value);
};

/** Events of a Server-Sent Events body, as they complete. */
async function* events(body: ReadableStream<Uint8Array>): AsyncGenerator<{ event?: string; data: string }> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      yield { ...(event ? { event } : {}), data: block.replace(/^(event: .*\n)?data: /, '') };
    }
  }
}

async function generate(): Promise<void> {
  running?.abort();
  const abort = new AbortController();
  running = abort;
  const prompt = $<HTMLTextAreaElement>('#prompt').value;
  const stop = $<HTMLInputElement>('#stop').value;
  const parameters = {
    max_tokens: numberOf('#max-tokens'),
    temperature: numberOf('#temperature'),
    top_k: numberOf('#top-k'),
    top_p: numberOf('#top-p'),
    seed: numberOf('#seed'),
    ...(stop ? { stop: [stop] } : {}),
  };
  echo.textContent = prompt;
  generated.textContent = '';
  stats.textContent = 'Waiting for the first token…';
  generateButton.disabled = true;
  cancelButton.disabled = false;
  const started = performance.now();
  let firstAt: number | undefined;
  let tokens = 0;
  const timing = () => {
    const seconds = (performance.now() - (firstAt ?? started)) / 1000;
    const rate =
      tokens > 1 && seconds > 0 ? `, ${((tokens - 1) / seconds).toFixed(0)} tokens/s after it` : '';
    return `${tokens} tokens; first after ${((firstAt ?? performance.now()) - started).toFixed(0)} ms${rate}`;
  };
  try {
    const response = await fetch(`/v2/models/${encodeURIComponent(modelSelect.value)}/generate_stream`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text_input: prompt, parameters }),
      signal: abort.signal,
    });
    if (!response.ok || !response.body) {
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      stats.textContent = `The server said ${response.status}: ${body.error ?? response.statusText}`;
      return;
    }
    for await (const { event, data } of events(response.body)) {
      const message = JSON.parse(data) as { text_output?: string; finish_reason?: string; error?: string };
      if (event === 'error') {
        stats.textContent = `Stopped by the server: ${message.error}`;
        return;
      }
      if (message.text_output) {
        firstAt ??= performance.now();
        tokens += 1;
        generated.textContent += message.text_output;
      }
      if (message.finish_reason) stats.textContent = `Done (${message.finish_reason}): ${timing()}.`;
      else stats.textContent = `Generating: ${timing()}…`;
    }
  } catch (error) {
    stats.textContent =
      (error as Error).name === 'AbortError'
        ? `Stopped: ${timing()}.`
        : `Failed: ${(error as Error).message}`;
  } finally {
    if (running === abort) running = undefined;
    generateButton.disabled = false;
    cancelButton.disabled = true;
  }
}

form.addEventListener('submit', (e) => {
  e.preventDefault();
  void generate();
});
cancelButton.addEventListener('click', () => running?.abort());
void loadModels();

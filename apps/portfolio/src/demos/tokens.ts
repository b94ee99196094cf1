/// <reference lib="dom" />
// Tokenize as GPT-2 (r50k_base) and GPT-4 (cl100k_base) do, with @mle/nlp's BPE written from scratch, in this
// browser. The rank files (js-tiktoken's, served with the page) are separate chunks, fetched after the page.
import { type EncodingName, loadEncoding } from '@mle/nlp/bpe';

const input = document.querySelector<HTMLTextAreaElement>('#text')!;
const ENCODINGS: EncodingName[] = ['r50k_base', 'cl100k_base'];

async function show() {
  const text = input.value;
  for (const name of ENCODINGS) {
    const out = document.querySelector<HTMLElement>(`#${name}`)!;
    const tokenizer = await loadEncoding(name);
    const ids = tokenizer.encode(text);
    out.dataset.ids = JSON.stringify(ids);
    out.querySelector('.count')!.textContent = `${ids.length} tokens`;
    const pieces = out.querySelector('.pieces')!;
    pieces.replaceChildren(
      ...ids.map((id) => {
        const span = document.createElement('span');
        span.className = 'piece';
        span.textContent = tokenizer.decode([id]);
        span.title = `id ${id}`;
        return span;
      }),
    );
    out.querySelector('.ids')!.textContent = ids.join(' ');
  }
  document.body.dataset.tokenized = text;
}

let pending: ReturnType<typeof setTimeout> | undefined;
input.addEventListener('input', () => {
  clearTimeout(pending);
  pending = setTimeout(() => void show(), 120);
});
void show();

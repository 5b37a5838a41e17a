// The demo frontend's script: one card per API call, run on load (and on demand), showing what the page's
// JavaScript can see of each answer. window.demoState tells the demo runner when every call has settled.
const config = JSON.parse(document.getElementById('demo-config').textContent);
const { apiOrigin, calls } = config;

document.getElementById('frontend-origin').textContent = location.origin;
document.getElementById('api-origin').textContent = apiOrigin;
document.getElementById('files-origin').textContent = config.filesOrigin;

window.demoState = { runs: 0, done: false, results: {} };

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  Object.assign(e, props);
  for (const c of children) e.append(c);
  return e;
}

/** The fetch() call as a developer would write it, shown on the card. */
function codeFor(call) {
  const init = [];
  if (call.method !== 'GET') init.push(`method: '${call.method}'`);
  if (call.headers) init.push(`headers: ${JSON.stringify(call.headers)}`);
  if (call.body) init.push(`body: '${call.body}'`);
  if (call.credentials) init.push(`credentials: '${call.credentials}'`);
  const args = init.length ? `, {\n  ${init.join(',\n  ')},\n}` : '';
  const read = call.readHeader ? `\nres.headers.get('${call.readHeader}')` : '';
  const code = `const res = await fetch(API + '${call.path}'${args});${read}`;
  return call.fromWidget ? `// in the partner widget's iframe (${config.widgetOrigin}):\n${code}` : code;
}

/** Runs a widget call: a fresh iframe of the partner widget, which posts back what its fetch() saw. */
function viaWidget(call, card) {
  const url = apiOrigin + call.path;
  card.querySelector('iframe')?.remove();
  return new Promise((resolve) => {
    const onMessage = (ev) => {
      if (ev.origin !== config.widgetOrigin || ev.data?.demoWidget !== url) return;
      window.removeEventListener('message', onMessage);
      resolve(ev.data.result);
    };
    window.addEventListener('message', onMessage);
    card.append(
      el('iframe', {
        src: `${config.widgetOrigin}/widget?call=${encodeURIComponent(url)}`,
        title: 'Partner stock widget',
        className: 'widget',
      }),
    );
  });
}

const cards = new Map();
const cardsById = new Map();
const container = document.getElementById('calls');
for (const call of calls) {
  const result = el('div', { className: 'result', textContent: 'not run yet' });
  const button = el('button', { type: 'button', textContent: 'Run' });
  button.addEventListener('click', () => void runOne(call));
  const card = el(
    'section',
    { className: 'call', id: `call-${call.id}` },
    el(
      'h2',
      {},
      el('span', { textContent: call.title }),
      el('span', {
        className: `tag ${call.kind}`,
        textContent: call.kind === 'mistake' ? 'planted mistake' : 'configured correctly',
      }),
    ),
    el('p', { textContent: call.story }),
    el('pre', { textContent: codeFor(call) }),
    el('p', {}, button, ' ', result),
  );
  container.append(card);
  cards.set(call.id, result);
  cardsById.set(call.id, card);
}

/** Runs a call from this page: what its fetch() resolved to, or the error it threw. */
async function direct(call) {
  const init = {
    method: call.method,
    headers: call.headers,
    body: call.body,
    credentials: call.credentials ?? 'same-origin',
    cache: 'no-store',
  };
  try {
    const res = await fetch((call.down ? config.downOrigin : apiOrigin) + call.path, init);
    await res.text();
    const r = { ok: true, status: res.status };
    if (call.readHeader) r.header = res.headers.get(call.readHeader);
    return r;
  } catch (e) {
    return { ok: false, error: `${e.name}: ${e.message}` };
  }
}

async function runOne(call) {
  const out = cards.get(call.id);
  out.className = 'result';
  out.textContent = 'running…';
  const r = call.fromWidget ? await viaWidget(call, cardsById.get(call.id)) : await direct(call);
  window.demoState.results[call.id] = r;
  if (!r.ok) {
    out.className = 'result failed';
    out.textContent = `✗ ${r.error} — the browser hides why; CORS Lens shows it.`;
  } else if (call.readHeader && r.header === null) {
    out.className = 'result partial';
    out.textContent = `△ HTTP ${r.status}, but res.headers.get('${call.readHeader}') is null: the browser hid it.`;
  } else {
    out.className = 'result ok';
    out.textContent = `✓ HTTP ${r.status}${call.readHeader ? `, ${call.readHeader}: ${r.header}` : ''}`;
  }
  return r;
}

async function runAll() {
  window.demoState.done = false;
  // One at a time, so the requests appear in the panel in the order of the cards.
  for (const call of calls) await runOne(call);
  const failed = calls.filter((c) => !window.demoState.results[c.id].ok).length;
  document.getElementById('summary').textContent = `${calls.length} calls, ${failed} failed in JavaScript.`;
  window.demoState.runs++;
  window.demoState.done = true;
}

document.getElementById('run-all').addEventListener('click', () => void runAll());
if (new URLSearchParams(location.search).get('autorun') !== '0') void runAll();

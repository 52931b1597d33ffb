// Shared by the dashboard's pages: the API key (kept in sessionStorage, sent as a Bearer credential when set),
// JSON calls to this node, and a server-sent-events reader built on fetch (EventSource cannot send a header).
'use strict';

const KEY_ITEM = 'avatarfleet.apiKey';

function apiKey() {
  return sessionStorage.getItem(KEY_ITEM) || '';
}

function setApiKey(value) {
  if (value) sessionStorage.setItem(KEY_ITEM, value);
  else sessionStorage.removeItem(KEY_ITEM);
}

function authHeaders(extra) {
  const headers = Object.assign({}, extra || {});
  const key = apiKey();
  if (key) headers.Authorization = 'Bearer ' + key;
  return headers;
}

/** fetch on this node with the API key; rejects with the JSON error's reason on a non-2xx answer. */
async function api(path, init) {
  const options = Object.assign({}, init || {});
  options.headers = authHeaders(options.headers);
  const response = await fetch(path, options);
  if (!response.ok) {
    let reason = response.status + ' ' + response.statusText;
    try {
      const body = await response.json();
      reason = response.status + ' ' + (body.reason || body.error || reason);
    } catch (e) { /* not JSON */ }
    throw new Error(reason);
  }
  return response;
}

/**
 * Reads a server-sent event stream at `path` and calls handlers[eventName](parsedJson) for each event; when the
 * stream ends (the node closes it after a while, or the network drops) it reconnects after a second.
 * Returns a function that stops it.
 */
function events(path, handlers, onState) {
  let stopped = false;
  let controller = null;
  async function run() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch(path, { headers: authHeaders({ Accept: 'text/event-stream' }), signal: controller.signal });
        if (!response.ok) throw new Error('events: ' + response.status);
        if (onState) onState('live');
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            dispatch(buffer.slice(0, cut), handlers);
            buffer = buffer.slice(cut + 2);
          }
        }
      } catch (e) {
        if (stopped) return;
        if (onState) onState('reconnecting (' + e.message + ')');
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  run();
  return () => { stopped = true; if (controller) controller.abort(); };
}

function dispatch(block, handlers) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) name = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (!data.length || !handlers[name]) return;
  try {
    handlers[name](JSON.parse(data.join('\n')));
  } catch (e) {
    console.error('event ' + name + ': ' + e);
  }
}

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined) node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c === null || c === undefined ? '' : String(c)));
  return node;
}

function bindKeyField(input) {
  input.value = apiKey();
  input.addEventListener('change', () => setApiKey(input.value.trim()));
}

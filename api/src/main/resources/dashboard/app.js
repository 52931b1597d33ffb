// The fleet and tasks page: live through GET /events (fleet and tasks events, the filters as its query),
// stop (POST /tasks/{id}/stop) and, when this node documents it in /openapi, replay (POST /tasks/{id}/replay),
// and a /test-frame preview of an uploaded photo.
'use strict';

const $ = (id) => document.getElementById(id);
let stopEvents = null;
let canReplay = false;

function age(ms) {
  if (ms === null || ms === undefined) return '';
  return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
}

function bar(fraction) {
  const span = el('span');
  span.style.width = Math.max(0, Math.min(100, fraction * 100)).toFixed(0) + '%';
  return el('span', { class: 'bar' }, span);
}

function showFleet(fleet) {
  const t = fleet.totals;
  $('fleet-status').textContent = t.status.replace('_', ' ');
  $('totals').replaceChildren(
    el('div', {}, el('b', {}, String(t.active_sessions)), ' of ', el('b', {}, String(t.max_sessions)), ' sessions'),
    el('div', {}, el('b', {}, String(t.available_sessions)), ' free'),
    el('div', {}, el('b', {}, String(t.workers)), ' workers'));
  const rows = fleet.workers.map((w) => el('tr', { 'data-worker': w.worker_id },
    el('td', {}, w.worker_id),
    el('td', {}, el('span', { class: 'state ' + w.state }, w.state)),
    el('td', {}, bar(w.max_sessions ? w.active_sessions / w.max_sessions : 0), `${w.active_sessions} / ${w.max_sessions}`),
    el('td', {}, w.render_load === null ? '' : bar(w.render_load), w.render_load === null ? '' : Math.round(w.render_load * 100) + ' %'),
    el('td', {}, age(w.heartbeat_age_ms)),
    el('td', {}, w.device || '')));
  $('workers').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'no live worker'))]));
}

async function act(taskId, action, button) {
  button.disabled = true;
  try {
    const r = await api(`/tasks/${encodeURIComponent(taskId)}/${action}`, { method: 'POST' });
    const body = await r.json();
    $('task-error').textContent = '';
    button.textContent = body.status || 'done';
  } catch (e) {
    $('task-error').textContent = `${action} ${taskId}: ${e.message}`;
    button.disabled = false;
  }
}

function showTasks(page) {
  $('task-count').textContent = `${page.tasks.length} of ${page.total}`;
  const rows = page.tasks.map((t) => {
    const actions = el('td');
    if (t.status === 'pending' || t.status === 'running') {
      const stop = el('button', { class: 'secondary', 'data-action': 'stop' }, 'Stop');
      stop.addEventListener('click', () => act(t.task_id, 'stop', stop));
      actions.append(stop);
    } else if (canReplay && (t.status === 'failed' || t.status === 'cancelled' || t.status === 'completed')) {
      const replay = el('button', { class: 'secondary', 'data-action': 'replay' }, 'Replay');
      replay.addEventListener('click', () => act(t.task_id, 'replay', replay));
      actions.append(replay);
    }
    return el('tr', { 'data-task': t.task_id },
      el('td', {}, el('code', {}, t.task_id)),
      el('td', {}, t.room_name),
      el('td', {}, el('span', { class: 'state ' + t.status }, t.status)),
      el('td', {}, t.worker_id || ''),
      el('td', {}, t.created_at),
      el('td', {}, String(t.attempts ?? '')),
      el('td', { class: 'wrap' }, t.error || t.end_reason || ''),
      actions);
  });
  $('task-rows').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'no task'))]));
}

function query() {
  const q = new URLSearchParams({ limit: '50' });
  if ($('f-status').value) q.set('status', $('f-status').value);
  if ($('f-room').value.trim()) q.set('room_name', $('f-room').value.trim());
  if ($('f-worker').value.trim()) q.set('worker_id', $('f-worker').value.trim());
  return q.toString();
}

function listen() {
  if (stopEvents) stopEvents();
  stopEvents = events('/events?' + query(), {
    fleet: showFleet,
    tasks: showTasks,
    error: (e) => { $('live').textContent = e.reason; },
  }, (state) => { $('live').textContent = state; });
}

async function renderPreview() {
  const file = $('photo').files[0];
  $('preview-state').textContent = 'rendering';
  try {
    const form = new FormData();
    if (file) form.append('avatar_image', file, file.name);
    const r = await api('/test-frame', file ? { method: 'POST', body: form } : { method: 'GET' });
    const blob = await r.blob();
    const img = el('img', { alt: 'test frame', id: 'preview-img' });
    img.src = URL.createObjectURL(blob);
    $('preview-out').replaceChildren(img);
    const warnings = r.headers.get('X-Avatar-Warnings');
    $('preview-state').textContent = warnings ? 'warning: ' + warnings : 'rendered';
  } catch (e) {
    $('preview-state').textContent = e.message;
  }
}

async function init() {
  bindKeyField($('key'));
  $('key').addEventListener('change', listen);
  for (const id of ['f-status', 'f-room', 'f-worker']) $(id).addEventListener('change', listen);
  $('render').addEventListener('click', renderPreview);
  try {
    // why: replay is shown only where this node serves it, as its own API description says
    const doc = await (await fetch('/openapi')).text();
    canReplay = doc.includes('/tasks/{task_id}/replay:');
  } catch (e) { canReplay = false; }
  listen();
}

init();

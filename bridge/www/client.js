// client.js: the Forgotten Ruin web client. Start reading at connect().
//
// One WebSocket to ruin-bridge at /ws, subprotocol "ruin.v1", one JSON
// object per message (docs/protocol.md, "WebSocket JSON"). Game text goes
// to the output pane through the ANSI renderer; updates fill the side
// panels; the input line keeps a history and turns into a password field
// while the game has echo off. A dropped connection is resumed with the
// one-time token the bridge gave us (kept in sessionStorage, so a reload of
// the tab resumes too); a session the game ended offers a Reconnect button.

import { AnsiRenderer } from './ansi.js';

const SUBPROTOCOL = 'ruin.v1';
const TOKEN_KEY = 'ruin.resume';
const HISTORY_KEY = 'ruin.history';
const HISTORY_MAX = 200;
const CHANNEL_MAX = 60;

const $ = (id) => document.getElementById(id);
const ui = {
  output: $('output'),
  more: $('more'),
  status: $('status'),
  reconnect: $('reconnect'),
  who: $('who'),
  form: $('input-form'),
  input: $('input'),
  inputLabel: $('input-label'),
  side: $('side'),
  panelToggle: $('panel-toggle'),
  compass: $('compass'),
  roomName: $('room-name'),
  roomArea: $('room-area'),
  exits: $('exits'),
  players: $('players'),
  items: $('items'),
  channels: $('channels'),
  charStatus: $('char-status'),
};

// ---- output ---------------------------------------------------------------------------

let following = true; // the view sticks to the newest text unless the player scrolled up
let pinned = 0; // where the view was last put at the bottom

function atBottom() {
  const o = ui.output;
  return o.scrollHeight - o.scrollTop - o.clientHeight < 40;
}

function pin() {
  ui.output.scrollTop = ui.output.scrollHeight;
  pinned = ui.output.scrollTop;
}

// The player wants the newest text (typed a command, clicked an exit or "more").
function follow() {
  following = true;
  ui.more.hidden = true;
  pin();
}

const screen = new AnsiRenderer(ui.output, {
  maxLines: 5000,
  // Old lines removed at the top: keep a reader's place in the history.
  onTrim: (h) => {
    if (following) pinned -= h;
    else ui.output.scrollTop -= h;
  },
});

function afterOutput() {
  // A scroll up whose event has not come yet (scroll events wait for the
  // next frame) still means the player is reading: text arriving in that
  // moment must not pull the view back down.
  if (following && ui.output.scrollTop < pinned - 40) following = false;
  if (following) {
    pin();
  } else {
    ui.more.hidden = false;
  }
}

// The pane changes size (a phone's keyboard, the panel opening, a rotation):
// a player who was following the newest text keeps following it.
new ResizeObserver(() => {
  if (following) pin();
}).observe(ui.output);

ui.output.addEventListener('scroll', () => {
  following = atBottom();
  if (following) ui.more.hidden = true;
});

ui.more.addEventListener('click', () => {
  follow();
  focusInput();
});

function notice(text, cls = 'notice') {
  if (screen.lineOpen()) screen.endLine();
  screen.plain(text + '\n', cls);
  afterOutput();
}

// ---- input ----------------------------------------------------------------------------

let echoOn = true;
let history = [];
let histPos = -1; // -1: editing the draft
let draft = '';

try {
  const saved = JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]');
  if (Array.isArray(saved)) history = saved.filter((x) => typeof x === 'string').slice(-HISTORY_MAX);
} catch (e) {
  history = [];
}

function remember(line) {
  if (!line.trim() || history[history.length - 1] === line) return;
  history.push(line);
  if (history.length > HISTORY_MAX) history.shift();
  try {
    localStorage.setItem(HISTORY_KEY, JSON.stringify(history));
  } catch (e) {
    /* private mode: history lasts as long as the page */
  }
}

const finePointer = window.matchMedia('(pointer: fine)').matches;

// Focus the input, except on touch screens where that would pop the keyboard up uninvited.
function focusInput(force = false) {
  if (force || finePointer) ui.input.focus({ preventScroll: true });
}

function setEcho(on) {
  echoOn = on;
  ui.input.type = on ? 'text' : 'password';
  ui.input.setAttribute('autocomplete', on ? 'off' : 'current-password');
  ui.inputLabel.textContent = on ? 'Command' : 'Password (hidden)';
}

function submitLine(line) {
  // The command goes after the prompt, as on a terminal. With echo off (a
  // password) nothing is shown: the game sends the line end itself.
  if (echoOn) screen.plain(line + '\n', 'echo');
  follow();
  if (echoOn) remember(line);
  send({ type: 'command', command: line });
}

ui.form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const line = ui.input.value;
  ui.input.value = '';
  histPos = -1;
  draft = '';
  // Several lines pasted at once are several commands.
  for (const one of line.split(/\r\n|\r|\n/)) submitLine(one);
  focusInput(true);
});

ui.input.addEventListener('keydown', (ev) => {
  if (!echoOn || ev.altKey || ev.ctrlKey || ev.metaKey) return;
  if (ev.key === 'ArrowUp') {
    if (!history.length) return;
    ev.preventDefault();
    if (histPos === -1) {
      draft = ui.input.value;
      histPos = history.length - 1;
    } else if (histPos > 0) {
      histPos--;
    }
    ui.input.value = history[histPos];
  } else if (ev.key === 'ArrowDown') {
    if (histPos === -1) return;
    ev.preventDefault();
    if (histPos < history.length - 1) {
      histPos++;
      ui.input.value = history[histPos];
    } else {
      histPos = -1;
      ui.input.value = draft;
    }
  } else if (ev.key === 'Escape') {
    histPos = -1;
    ui.input.value = '';
  }
});

// A click in the output that is not a text selection puts the cursor back in the input.
ui.output.addEventListener('mouseup', () => {
  if (!window.getSelection().toString()) focusInput();
});

// Typing anywhere goes to the input line.
document.addEventListener('keydown', (ev) => {
  if (document.activeElement === ui.input || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.key.length === 1 && !(document.activeElement instanceof HTMLButtonElement)) focusInput(true);
});

ui.panelToggle.addEventListener('click', () => {
  const open = ui.side.classList.toggle('open');
  ui.panelToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
});

// ---- side panels -----------------------------------------------------------------------

// more: how many others a crowded room has beyond those named (players_more).
function fillList(ul, items, emptyText, more) {
  ul.replaceChildren();
  if (!items.length && !(more > 0)) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = emptyText;
    ul.appendChild(li);
    return;
  }
  for (const it of items) {
    const li = document.createElement('li');
    li.textContent = String(it);
    ul.appendChild(li);
  }
  if (more > 0) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = '…and ' + more + (more === 1 ? ' other' : ' others');
    ul.appendChild(li);
  }
}

function exitButtons(container, exits) {
  container.replaceChildren();
  for (const dir of exits) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'exit';
    b.textContent = dir;
    b.setAttribute('aria-label', 'Go ' + dir);
    b.addEventListener('click', () => {
      screen.plain(dir + '\n', 'echo');
      follow();
      send({ type: 'command', action: 'move', direction: dir });
      focusInput();
    });
    container.appendChild(b);
  }
}

function showRoom(d) {
  ui.roomName.textContent = d.name || '—';
  ui.roomArea.textContent = d.area || '';
  const exits = Array.isArray(d.exits) ? d.exits.filter((x) => typeof x === 'string') : [];
  exitButtons(ui.exits, exits);
  exitButtons(ui.compass, exits);
  fillList(ui.players, Array.isArray(d.players) ? d.players : [], 'No one else',
    Number.isInteger(d.players_more) ? d.players_more : 0);
  fillList(ui.items, Array.isArray(d.items) ? d.items : [], 'Nothing');
}

function setBar(name, cur, max) {
  const bar = $(name + '-bar');
  const num = $(name + '-num');
  const c = Number.isFinite(cur) ? cur : 0;
  const m = Number.isFinite(max) && max > 0 ? max : 0;
  bar.setAttribute('aria-valuenow', String(c));
  bar.setAttribute('aria-valuemax', String(m));
  bar.firstElementChild.style.width = (m ? Math.max(0, Math.min(100, (100 * c) / m)) : 0) + '%';
  num.textContent = m ? c + '/' + m : '–';
}

function showVitals(d) {
  setBar('hp', d.hp, d.maxhp);
  setBar('mp', d.mp, d.maxmp);
  setBar('mv', d.mv, d.maxmv);
}

function addChannelLine(d) {
  const empty = ui.channels.querySelector('.empty');
  if (empty) empty.remove();
  const li = document.createElement('li');
  const chan = document.createElement('span');
  chan.className = 'chan-name';
  chan.textContent = '[' + (d.channel || '?') + '] ';
  li.appendChild(chan);
  li.appendChild(document.createTextNode(d.text || (d.player_name || '') + ': ' + (d.message || '')));
  ui.channels.appendChild(li);
  while (ui.channels.childElementCount > CHANNEL_MAX) ui.channels.firstElementChild.remove();
  ui.channels.parentElement.scrollTop = ui.channels.parentElement.scrollHeight;
}

const gmcpHandlers = {
  'Char.Name': (d) => {
    if (d && typeof d.name === 'string') {
      ui.who.textContent = d.fullname || d.name;
      document.title = d.name + ' — Forgotten Ruin';
    }
  },
  'Char.Status': (d) => {
    if (!d || typeof d !== 'object') return;
    const parts = [];
    if (d.level !== undefined) parts.push('Level ' + d.level);
    if (d.path) parts.push(String(d.path));
    if (d.gold !== undefined) parts.push(d.gold + ' gold');
    if (d.pos) parts.push(String(d.pos));
    ui.charStatus.textContent = parts.join(' · ');
  },
};

// ---- the connection ------------------------------------------------------------------------

let socket = null;
let lost = false; // the bridge told us the game session ended
let retry = 0;
let retryTimer = null;
let resumeWindowMs = 60000;
let droppedAt = 0;

function setStatus(text, kind) {
  ui.status.textContent = text;
  ui.status.className = 'status' + (kind ? ' ' + kind : '');
}

function send(obj) {
  if (socket && socket.readyState === WebSocket.OPEN) {
    socket.send(JSON.stringify(obj));
    return true;
  }
  notice('(not connected: that was not sent)', 'error-line');
  return false;
}

// Characters that fit the output pane, for the game's word wrapping (NAWS).
function windowSize() {
  const probe = document.createElement('span');
  probe.textContent = 'MMMMMMMMMM';
  probe.style.visibility = 'hidden';
  probe.style.position = 'absolute';
  ui.output.appendChild(probe);
  const w = probe.getBoundingClientRect().width / 10 || 8;
  const h = probe.getBoundingClientRect().height || 18;
  probe.remove();
  const style = getComputedStyle(ui.output);
  const inner = ui.output.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return {
    cols: Math.max(20, Math.min(250, Math.floor(inner / w) - 1)),
    rows: Math.max(5, Math.min(200, Math.floor(ui.output.clientHeight / h))),
  };
}

function sendSize() {
  const { cols, rows } = windowSize();
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'resize', cols, rows }));
}

let resizeTimer = null;
window.addEventListener('resize', () => {
  if (following) pin();
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(sendSize, 250);
});

const handlers = {
  text: (m) => {
    screen.write(String(m.data ?? ''));
    afterOutput();
  },
  prompt: (m) => {
    if (screen.lineOpen()) screen.endLine();
    screen.write(String(m.data ?? ''), 'prompt');
    afterOutput();
  },
  echo: (m) => setEcho(m.enabled !== false),
  update: (m) => {
    if (!m.data || typeof m.data !== 'object') return;
    if (m.event === 'room_description') showRoom(m.data);
    else if (m.event === 'vitals') showVitals(m.data);
  },
  broadcast: (m) => {
    if (m.event === 'player_action' && m.data && typeof m.data === 'object') addChannelLine(m.data);
  },
  gmcp: (m) => {
    const h = gmcpHandlers[m.package];
    if (h) h(m.data);
  },
  session: (m) => {
    if (m.resume_token) sessionStorage.setItem(TOKEN_KEY, m.resume_token);
    if (m.resume_window_s) resumeWindowMs = m.resume_window_s * 1000;
    if (m.state === 'connected') {
      setStatus('Connected', 'ok');
    } else if (m.state === 'resumed') {
      setStatus('Connected', 'ok');
      notice('(reconnected: you are back where you were)');
    } else if (m.state === 'lost') {
      lost = true;
      sessionStorage.removeItem(TOKEN_KEY);
      setEcho(true);
      setStatus('Disconnected', 'bad');
      notice('(the game session ended: ' + (m.reason || 'connection lost') + ')');
      ui.reconnect.hidden = false;
    }
  },
  error: (m) => {
    if (m.code === 'resume_failed') sessionStorage.removeItem(TOKEN_KEY);
    notice('(' + (m.message || m.code || 'error') + ')', 'error-line');
  },
};

function connect() {
  clearTimeout(retryTimer);
  retryTimer = null;
  lost = false;
  ui.reconnect.hidden = true;
  setStatus(retry ? 'Reconnecting…' : 'Connecting…');
  const token = sessionStorage.getItem(TOKEN_KEY);
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws' +
    (token ? '?resume=' + encodeURIComponent(token) : '');
  const ws = new WebSocket(url, SUBPROTOCOL);
  socket = ws;
  ws.addEventListener('open', () => {
    retry = 0;
    droppedAt = 0;
    sendSize();
  });
  ws.addEventListener('message', (ev) => {
    if (ws !== socket) return;
    let m;
    try {
      m = JSON.parse(ev.data);
    } catch (e) {
      return;
    }
    if (!m || typeof m !== 'object') return;
    const h = handlers[m.type];
    if (h) h(m);
  });
  ws.addEventListener('close', () => {
    if (ws !== socket) return;
    socket = null;
    if (lost) return;
    // Dropped without the game ending it: come back with our token while
    // the bridge still holds the session.
    if (!droppedAt) droppedAt = Date.now();
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (!token || Date.now() - droppedAt > resumeWindowMs) {
      sessionStorage.removeItem(TOKEN_KEY);
      setStatus('Disconnected', 'bad');
      notice('(connection lost)');
      ui.reconnect.hidden = false;
      return;
    }
    const delay = Math.min(8000, 500 * 2 ** retry);
    retry++;
    setStatus('Connection dropped; reconnecting…', 'bad');
    ui.reconnect.hidden = false;
    retryTimer = setTimeout(connect, delay);
  });
}

ui.reconnect.addEventListener('click', () => {
  retry = 0;
  droppedAt = 0;
  if (socket) {
    socket.close();
    socket = null;
  }
  notice('(connecting again…)');
  connect();
  focusInput(true);
});

// For people and tests poking at the page: window.ruin.
window.ruin = {
  get socket() {
    return socket;
  },
  // Drops the socket as a bad network would, without telling the bridge we are leaving.
  drop() {
    if (socket) socket.close(4000, 'dropped');
  },
  // Handles a message as if the bridge had sent it (the page only; nothing is sent).
  receive(m) {
    const h = m && typeof m === 'object' ? handlers[m.type] : null;
    if (h) h(m);
  },
};

setEcho(true);
connect();
focusInput();

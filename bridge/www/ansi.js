// ansi.js: renders game text with ANSI colors into the output pane, safely.
//
// Why our own and not a library (checked against ansi_up 6.0.6 and anser
// 2.3.5 from npm): ansi_up returns an HTML string for innerHTML, so its
// escaping would be our only guard against injection, and it ignores
// reverse video (7/27) and colon sub-parameters (38:5:n shows as text).
// anser is CommonJS only (no plain ES module for the page) and keeps no
// state between calls: a color does not carry over to the next message
// and a split sequence shows as text. This file is about 240 lines, needs
// no build step, builds the DOM with textContent only, and is tested
// (tests/e2e/ansi.test.mjs in Node, tests/e2e/run.mjs in Chromium). Neither
// library does the job better, so we keep it.
//
// Game text arrives as UTF-8 strings with SGR escape sequences (ESC [ ... m)
// for 16, 256 and 24-bit colors. We never build HTML from it: every piece
// of text becomes a text node (textContent) inside a <span> whose look comes
// from CSS classes and numeric colors we compute ourselves, so nothing a
// player or builder types can inject markup. Escape sequences other than
// SGR are dropped. The style carries over from one write() to the next, as
// on a terminal. The bridge holds back an escape sequence cut between two
// reads, but not past 32 bytes nor past its 100 ms flush, so an unfinished
// one at the end of a write() is kept here and completed by the next.
//
// Lines are <div class="line"> elements; the oldest are removed past
// maxLines so a long session does not grow the page without end.

const CUBE = [0, 95, 135, 175, 215, 255];

// The RGB of xterm color n (16-255); 0-15 come from the page's palette
// (CSS classes), so they and anything else give null.
export function xterm256(n) {
  if (!Number.isInteger(n) || n < 16 || n > 255) return null;
  if (n < 232) {
    const i = n - 16;
    return [CUBE[Math.floor(i / 36)], CUBE[Math.floor(i / 6) % 6], CUBE[i % 6]];
  }
  const v = 8 + 10 * (n - 232);
  return [v, v, v];
}

// A parameter (a number from parseInt, maybe NaN or huge) as a byte.
function clampByte(n) {
  if (Number.isNaN(n) || n < 0) return 0;
  return n > 255 ? 255 : n;
}

function freshStyle() {
  return { fg: null, bg: null, bold: false, dim: false, italic: false, underline: false, inverse: false };
}

// A color is null (default), a number 0-255, or an [r, g, b] triple.
function colorKey(c) {
  if (c === null) return '';
  return Array.isArray(c) ? c.join(',') : String(c);
}

function styleKey(s) {
  return [colorKey(s.fg), colorKey(s.bg), s.bold, s.dim, s.italic, s.underline, s.inverse].join('|');
}

// Applies the parameters of one SGR sequence to style s.
export function applySgr(s, params) {
  const p = params === '' ? [0] : params.split(/[;:]/).map((x) => (x === '' ? 0 : Number.parseInt(x, 10)));
  for (let i = 0; i < p.length; i++) {
    const code = p[i];
    if (code === 0) Object.assign(s, freshStyle());
    else if (code === 1) s.bold = true;
    else if (code === 2) s.dim = true;
    else if (code === 3) s.italic = true;
    else if (code === 4) s.underline = true;
    else if (code === 7) s.inverse = true;
    else if (code === 22) { s.bold = false; s.dim = false; }
    else if (code === 23) s.italic = false;
    else if (code === 24) s.underline = false;
    else if (code === 27) s.inverse = false;
    else if (code >= 30 && code <= 37) s.fg = code - 30;
    else if (code === 39) s.fg = null;
    else if (code >= 40 && code <= 47) s.bg = code - 40;
    else if (code === 49) s.bg = null;
    else if (code >= 90 && code <= 97) s.fg = code - 90 + 8;
    else if (code >= 100 && code <= 107) s.bg = code - 100 + 8;
    else if (code === 38 || code === 48 || code === 58) { // 58: underline color, read past
      let color = null;
      if (p[i + 1] === 5 && i + 2 < p.length) {
        color = clampByte(p[i + 2]);
        i += 2;
      } else if (p[i + 1] === 2 && i + 4 < p.length) {
        color = [clampByte(p[i + 2]), clampByte(p[i + 3]), clampByte(p[i + 4])];
        i += 4;
      } else {
        break; // malformed: ignore the rest of this sequence
      }
      if (code === 38) s.fg = color;
      else if (code === 48) s.bg = color;
    }
  }
  return s;
}

// Puts color c on element el as foreground (fg true) or background. In an
// inverse span a palette color goes inline (var(--cN)): the .inverse class
// comes after the .fgN/.bgN classes in the style sheet and would win.
function paint(el, c, fg, bold, inverse) {
  if (c === null) return;
  let css;
  if (typeof c === 'number' && c < 16) {
    const n = fg && bold && c < 8 ? c + 8 : c;
    if (!inverse) {
      el.classList.add((fg ? 'fg' : 'bg') + n);
      return;
    }
    css = 'var(--c' + n + ')';
  } else {
    const rgb = Array.isArray(c) ? c : xterm256(c);
    css = 'rgb(' + rgb[0] + ',' + rgb[1] + ',' + rgb[2] + ')';
  }
  if (fg) el.style.color = css;
  else el.style.backgroundColor = css;
}

function makeSpan(s, extraClass) {
  const span = document.createElement('span');
  if (extraClass) span.className = extraClass;
  let fg = s.fg;
  let bg = s.bg;
  if (s.inverse) {
    span.classList.add('inverse');
    [fg, bg] = [bg, fg];
  }
  paint(span, fg, true, s.bold, s.inverse);
  paint(span, bg, false, false, s.inverse);
  if (s.bold) span.classList.add('bold');
  if (s.dim) span.classList.add('dim');
  if (s.italic) span.classList.add('italic');
  if (s.underline) span.classList.add('underline');
  return span;
}

// ESC [ params intermediates final | ESC and one byte | a line end | plain text.
const TOKEN = /\x1b\[([0-?]*)[ -/]*([@-~])|\x1b[\s\S]?|\n|[^\x1b\n]+/g;
// An escape sequence still unfinished at the end of the data (ESC alone, or
// ESC [ with no final byte yet); one longer than 64 is given up on.
const UNFINISHED = /\x1b(?:\[[0-?]{0,60}[ -/]{0,2})?$/;

export class AnsiRenderer {
  constructor(root, options = {}) {
    this.root = root;
    this.maxLines = options.maxLines || 5000;
    this.style = freshStyle();
    this.pending = '';
    this.line = null;
    this.lastSpan = null;
    this.lastKey = null;
    this.onTrim = options.onTrim || null;
  }

  // Starts a new line element.
  newLine() {
    this.line = document.createElement('div');
    this.line.className = 'line';
    this.root.appendChild(this.line);
    this.lastSpan = null;
    this.trim();
  }

  trim() {
    const extra = this.root.childElementCount - this.maxLines;
    if (extra <= 0) return;
    let removedHeight = 0;
    for (let i = 0; i < extra; i++) {
      const first = this.root.firstElementChild;
      removedHeight += first.offsetHeight;
      first.remove();
    }
    if (this.onTrim) this.onTrim(removedHeight);
  }

  // Appends plain text (no escapes) in the current style.
  text(t, extraClass) {
    if (!t) return;
    if (!this.line) this.newLine();
    const key = styleKey(this.style) + '|' + (extraClass || '');
    if (this.lastSpan && this.lastKey === key) {
      this.lastSpan.textContent += t;
      return;
    }
    const span = makeSpan(this.style, extraClass);
    span.textContent = t;
    this.line.appendChild(span);
    this.lastSpan = span;
    this.lastKey = key;
  }

  // Writes game text: ANSI SGR honoured, other escapes dropped, \n breaks lines.
  write(data, extraClass) {
    data = this.pending + data;
    const tail = UNFINISHED.exec(data);
    this.pending = tail ? tail[0] : '';
    if (tail) data = data.slice(0, tail.index);
    TOKEN.lastIndex = 0;
    let m;
    while ((m = TOKEN.exec(data)) !== null) {
      const tok = m[0];
      if (tok === '\n') {
        if (!this.line) this.newLine();
        this.line = null;
        this.lastSpan = null;
      } else if (tok.charCodeAt(0) === 0x1b) {
        if (m[2] === 'm') applySgr(this.style, m[1]);
      } else {
        this.text(tok, extraClass);
      }
    }
  }

  // Writes text of our own (echoed commands, notices) without touching the game's style.
  plain(t, extraClass) {
    const saved = this.style;
    this.style = freshStyle();
    this.write(t.replace(/\x1b/g, ''), extraClass);
    this.style = saved;
  }

  // True if the current line has something on it (e.g. a prompt).
  lineOpen() {
    return this.line !== null;
  }

  endLine() {
    this.line = null;
    this.lastSpan = null;
  }

  reset() {
    this.style = freshStyle();
    this.pending = '';
  }
}

// ansi.js: renders game text with ANSI colors into the output pane, safely.
//
// Game text arrives as UTF-8 strings with SGR escape sequences (ESC [ ... m)
// for 16, 256 and 24-bit colors. We never build HTML from it: every piece
// of text becomes a text node (textContent) inside a <span> whose look comes
// from CSS classes and numeric colors we compute ourselves, so nothing a
// player or builder types can inject markup. Escape sequences other than
// SGR are dropped. The style carries over from one write() to the next, as
// on a terminal; the bridge never splits an escape sequence between
// messages.
//
// Lines are <div class="line"> elements; the oldest are removed past
// maxLines so a long session does not grow the page without end.

const CUBE = [0, 95, 135, 175, 215, 255];

// The RGB of xterm color n (16-255); 0-15 come from CSS classes instead.
export function xterm256(n) {
  if (n < 232) {
    const i = n - 16;
    return [CUBE[Math.floor(i / 36)], CUBE[Math.floor(i / 6) % 6], CUBE[i % 6]];
  }
  const v = 8 + 10 * (n - 232);
  return [v, v, v];
}

function clampByte(x) {
  const n = Number.parseInt(x, 10);
  if (!Number.isFinite(n) || n < 0) return 0;
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
    else if (code === 38 || code === 48) {
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
      else s.bg = color;
    }
  }
  return s;
}

// Puts color c on element el as foreground (fg true) or background.
function paint(el, c, fg, bold) {
  if (c === null) return;
  if (typeof c === 'number' && c < 16) {
    const n = fg && bold && c < 8 ? c + 8 : c;
    el.classList.add((fg ? 'fg' : 'bg') + n);
    return;
  }
  const rgb = Array.isArray(c) ? c : xterm256(c);
  const css = 'rgb(' + rgb[0] + ',' + rgb[1] + ',' + rgb[2] + ')';
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
  paint(span, fg, true, s.bold);
  paint(span, bg, false, false);
  if (s.bold) span.classList.add('bold');
  if (s.dim) span.classList.add('dim');
  if (s.italic) span.classList.add('italic');
  if (s.underline) span.classList.add('underline');
  return span;
}

// ESC [ params intermediates final | ESC and one byte | a line end | plain text.
const TOKEN = /\x1b\[([0-?]*)[ -/]*([@-~])|\x1b[\s\S]?|\n|[^\x1b\n]+/g;

export class AnsiRenderer {
  constructor(root, options = {}) {
    this.root = root;
    this.maxLines = options.maxLines || 5000;
    this.style = freshStyle();
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
  }
}

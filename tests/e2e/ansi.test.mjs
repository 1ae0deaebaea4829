// ansi.test.mjs: the web client's ANSI renderer (bridge/www/ansi.js) in Node,
// without a browser: xterm256's palette, applySgr on every code the game
// sends (and on malformed ones), and AnsiRenderer.write() on a tiny stand-in
// for the DOM (sequences split between writes, reverse video, no markup).
// How the colors look in a real browser is checked by run.mjs.
//
//   cd tests/e2e && node --test ansi.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xterm256, applySgr, AnsiRenderer } from '../../bridge/www/ansi.js';

const CUBE = [0, 95, 135, 175, 215, 255];

const plain = () => ({ fg: null, bg: null, bold: false, dim: false, italic: false, underline: false, inverse: false });
const sgr = (params, from = plain()) => applySgr(from, params);

// A color is null (the default), a palette index 0-255 or an [r, g, b] of bytes.
function validColor(c) {
  const byte = (x) => Number.isInteger(x) && x >= 0 && x <= 255;
  return c === null || byte(c) || (Array.isArray(c) && c.length === 3 && c.every(byte));
}

test('xterm256: 0-15 are the page palette\'s, not computed', () => {
  for (let n = 0; n < 16; n++) assert.equal(xterm256(n), null, String(n));
});

test('xterm256: the 6x6x6 cube, 16-231', () => {
  for (let r = 0; r < 6; r++)
    for (let g = 0; g < 6; g++)
      for (let b = 0; b < 6; b++)
        assert.deepEqual(xterm256(16 + 36 * r + 6 * g + b), [CUBE[r], CUBE[g], CUBE[b]]);
  assert.deepEqual(xterm256(16), [0, 0, 0]);
  assert.deepEqual(xterm256(21), [0, 0, 255]);
  assert.deepEqual(xterm256(67), [95, 135, 175]);
  assert.deepEqual(xterm256(196), [255, 0, 0]);
  assert.deepEqual(xterm256(231), [255, 255, 255]);
});

test('xterm256: the grey ramp, 232-255', () => {
  for (let n = 232; n < 256; n++) {
    const v = 8 + 10 * (n - 232);
    assert.deepEqual(xterm256(n), [v, v, v]);
  }
  assert.deepEqual(xterm256(232), [8, 8, 8]);
  assert.deepEqual(xterm256(255), [238, 238, 238]);
});

test('xterm256: outside 0-255 is null', () => {
  for (const n of [-1, 256, 1000, 17.5, NaN, Infinity, '200', null, undefined])
    assert.equal(xterm256(n), null, String(n));
});

test('applySgr: the 16 colors, foreground and background', () => {
  for (let i = 0; i < 8; i++) {
    assert.equal(sgr(String(30 + i)).fg, i);
    assert.equal(sgr(String(90 + i)).fg, 8 + i);
    assert.equal(sgr(String(40 + i)).bg, i);
    assert.equal(sgr(String(100 + i)).bg, 8 + i);
    assert.equal(sgr(String(30 + i)).bg, null);
    assert.equal(sgr(String(40 + i)).fg, null);
  }
  // What the game sends for {r and {R: a reset, bold for the bright ones.
  assert.deepEqual(sgr('0;31'), { ...plain(), fg: 1 });
  assert.deepEqual(sgr('1;31'), { ...plain(), fg: 1, bold: true });
});

test('applySgr: 256 colors, 38;5;n and 48;5;n', () => {
  assert.equal(sgr('38;5;196').fg, 196);
  assert.equal(sgr('38;5;0').fg, 0);
  assert.equal(sgr('38;5;255').fg, 255);
  assert.equal(sgr('48;5;21').bg, 21);
  assert.equal(sgr('48;5;21').fg, null);
  assert.equal(sgr('38:5:67').fg, 67, 'colon sub-parameters');
  const s = sgr('38;5;196;48;5;17;4');
  assert.deepEqual([s.fg, s.bg, s.underline], [196, 17, true]);
});

test('applySgr: true color, 38;2;r;g;b and 48;2;r;g;b', () => {
  assert.deepEqual(sgr('38;2;18;52;86').fg, [18, 52, 86]);
  assert.deepEqual(sgr('48;2;255;128;0').bg, [255, 128, 0]);
  assert.equal(sgr('48;2;255;128;0').fg, null);
  assert.deepEqual(sgr('38:2:1:2:3').fg, [1, 2, 3], 'colon sub-parameters');
  const s = sgr('38;2;1;2;3;48;2;4;5;6;1');
  assert.deepEqual([s.fg, s.bg, s.bold], [[1, 2, 3], [4, 5, 6], true]);
});

test('applySgr: 0 and an empty sequence reset everything; 39 and 49 reset a color', () => {
  const busy = () => sgr('1;2;3;4;7;38;2;9;9;9;48;5;100');
  assert.deepEqual(sgr('0', busy()), plain());
  assert.deepEqual(sgr('', busy()), plain());
  assert.deepEqual(sgr('00', busy()), plain());
  const s = busy();
  sgr('39', s);
  assert.equal(s.fg, null);
  assert.equal(s.bg, 100);
  assert.equal(s.bold, true);
  sgr('49', s);
  assert.equal(s.bg, null);
  assert.equal(s.underline, true);
});

test('applySgr: bold 1/22, dim 2, italic 3/23, underline 4/24, reverse 7/27', () => {
  const s = plain();
  assert.equal(sgr('1', s).bold, true);
  assert.equal(sgr('2', s).dim, true);
  sgr('22', s);
  assert.deepEqual([s.bold, s.dim], [false, false], '22 ends bold and dim');
  assert.equal(sgr('3', s).italic, true);
  assert.equal(sgr('23', s).italic, false);
  assert.equal(sgr('4', s).underline, true);
  assert.equal(sgr('24', s).underline, false);
  assert.equal(sgr('7', s).inverse, true);
  assert.equal(sgr('27', s).inverse, false);
  assert.deepEqual(s, plain());
  // Attributes leave the colors alone.
  const c = sgr('31;44;1;4;7;22;24;27');
  assert.deepEqual(c, { ...plain(), fg: 1, bg: 4 });
});

test('applySgr: malformed sequences neither throw nor make a bad color', () => {
  // Incomplete 38/48: the color stays as it was and the rest is ignored.
  for (const p of ['38', '38;5', '38;2', '38;2;1', '38;2;1;2', '48;5', '48;2;7;7', '38;9;1', '38;;1'])
    assert.deepEqual(sgr(p, sgr('32;41')), { ...plain(), fg: 2, bg: 1 }, p);
  assert.deepEqual(sgr('33;38;5', plain()).fg, 3, 'what came before still counts');
  // Out of range: clamped to a byte.
  assert.deepEqual(sgr('38;2;300;0;999').fg, [255, 0, 255]);
  assert.equal(sgr('38;5;256').fg, 255);
  assert.equal(sgr('48;5;70000').bg, 255);
  assert.equal(sgr('38;5;99999999999999999999999').fg, 255, 'not 1 from "1e+23"');
  assert.deepEqual(sgr('38;2;' + '9'.repeat(400) + ';0;0').fg, [255, 0, 0]);
  // Empty fields are 0.
  assert.deepEqual(sgr(';;', sgr('1;31')), plain());
  assert.deepEqual(sgr('38;2;;;').fg, [0, 0, 0]);
  // Unknown codes are ignored.
  assert.deepEqual(sgr('5;6;8;9;53;58;5;1;?;<'), plain());
  // Anything the parameter bytes allow (0-9 : ; < = > ?), from a fixed seed.
  let seed = 12345;
  const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const alphabet = '0123456789;;;;::<=>?';
  const starts = ['38;5;', '48;5;', '38;2;', '48;2;', ''];
  for (let i = 0; i < 5000; i++) {
    let p = starts[rnd(starts.length)];
    for (let k = rnd(24); k > 0; k--) p += alphabet[rnd(alphabet.length)];
    const s = sgr(p, sgr('1;31;48;5;9'));
    assert.ok(validColor(s.fg) && validColor(s.bg), JSON.stringify(p) + ' gave ' + JSON.stringify(s));
  }
});

// ---- AnsiRenderer on a stand-in DOM: just what ansi.js uses, and no innerHTML ----------------

class FakeElement {
  constructor(tag) {
    this.tagName = tag.toUpperCase();
    this.children = [];
    this.parent = null;
    this.className = '';
    this.style = {};
    this.own = '';
    this.offsetHeight = 0;
    const el = this;
    this.classList = { add: (c) => { el.className = el.className ? el.className + ' ' + c : c; } };
  }
  set innerHTML(v) { throw new Error('innerHTML used'); }
  get textContent() { return this.own + this.children.map((c) => c.textContent).join(''); }
  set textContent(v) { this.own = String(v); this.children = []; }
  appendChild(c) { c.parent = this; this.children.push(c); return c; }
  get childElementCount() { return this.children.length; }
  get firstElementChild() { return this.children[0] || null; }
  remove() { this.parent.children.splice(this.parent.children.indexOf(this), 1); }
}

function renderer() {
  globalThis.document = { createElement: (tag) => new FakeElement(tag) };
  const root = new FakeElement('div');
  return { root, r: new AnsiRenderer(root) };
}

const spans = (root) => root.children.flatMap((line) => line.children);
const look = (sp) => ({ text: sp.textContent, cls: sp.className, ...sp.style });

test('AnsiRenderer: a sequence split between writes still colors', () => {
  const { root, r } = renderer();
  r.write('plain \x1b[3');
  r.write('1mred\x1b[38;5;');
  r.write('67mcube\x1b');
  r.write('[38;2;18;52;');
  r.write('86mtrue\x1b[0m\n');
  assert.equal(root.textContent, 'plain redcubetrue');
  assert.deepEqual(spans(root).map(look), [
    { text: 'plain ', cls: '' },
    { text: 'red', cls: 'fg1' },
    { text: 'cube', cls: '', color: 'rgb(95,135,175)' },
    { text: 'true', cls: '', color: 'rgb(18,52,86)' },
  ]);
});

test('AnsiRenderer: bold brightens the first 8; reverse swaps the colors inline', () => {
  const { root, r } = renderer();
  r.write('\x1b[1;31mB\x1b[0;7;31;44mR\x1b[27mn\x1b[0;7mD\x1b[0;7;38;5;196mX\n');
  assert.deepEqual(spans(root).map(look), [
    { text: 'B', cls: 'fg9 bold' },
    // .inverse comes after .fgN/.bgN in style.css: the palette colors go inline.
    { text: 'R', cls: 'inverse', color: 'var(--c4)', backgroundColor: 'var(--c1)' },
    { text: 'n', cls: 'fg1 bg4' },
    { text: 'D', cls: 'inverse' },
    { text: 'X', cls: 'inverse', backgroundColor: 'rgb(255,0,0)' },
  ]);
});

test('AnsiRenderer: markup stays text, other escapes are dropped', () => {
  const { root, r } = renderer();
  r.write('<img src=x onerror=alert(1)>\x1b[2J\x1b[H\x1b(B&amp;\n');
  assert.equal(root.children.length, 1);
  assert.equal(root.textContent, '<img src=x onerror=alert(1)>B&amp;');
});

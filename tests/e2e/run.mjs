// run.mjs: the web client end to end, in Debian's headless Chromium driven by
// playwright-core. Start reading at the bottom (the scenario).
//
//   cd tests/e2e && npm ci && RUIN_SERVER=... RUIN_BRIDGE=... node run.mjs
//
// It starts a ruin-server (trusting loopback as a proxy) and a ruin-bridge in
// a temporary directory on free loopback ports, opens the page like a
// player would, and walks through: creating a character with a masked
// password, the room panel, moving by an exit button, talking to a second
// player (a second page), history, the game's colors (and the renderer's,
// fed escapes cut in two), safe rendering of hostile text,
// scrollback that holds still, a dropped socket that resumes, the game
// server going away (and a Reconnect button once it is back), and the phone
// layout. Screenshots go to tests/artifacts/. Every wait has a timeout;
// everything started is stopped by its pid.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const ARTIFACTS = path.join(REPO, 'tests', 'artifacts');
const SERVER = process.env.RUIN_SERVER || path.join(REPO, 'build', 'ruin-server');
const BRIDGE = process.env.RUIN_BRIDGE || path.join(REPO, 'build', 'ruin-bridge');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PASSWORD = 'secret word';
const WAIT = 10000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// A child process whose stderr goes to a log file; stop() is SIGTERM, then SIGKILL.
class Proc {
  constructor(name, cmd, args, dir) {
    this.name = name;
    this.log = path.join(dir, name + '.log');
    const out = fs.openSync(this.log, 'a');
    this.child = spawn(cmd, args, { cwd: dir, stdio: ['ignore', out, out] });
    this.exit = new Promise((resolve) => this.child.once('exit', (code, sig) => resolve(code ?? sig)));
  }

  async stop() {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return this.exit;
    this.child.kill('SIGTERM');
    const t = setTimeout(() => this.child.kill('SIGKILL'), 10000);
    const rc = await this.exit;
    clearTimeout(t);
    return rc;
  }

  text() {
    try {
      return fs.readFileSync(this.log, 'utf8');
    } catch (e) {
      return '';
    }
  }
}

async function waitFile(file, proc) {
  const deadline = Date.now() + WAIT;
  while (Date.now() < deadline) {
    try {
      const t = fs.readFileSync(file, 'utf8');
      if (t.endsWith('\n')) return Number.parseInt(t, 10);
    } catch (e) {
      /* not yet */
    }
    if (proc.child.exitCode !== null) throw new Error(proc.name + ' exited:\n' + proc.text());
    await sleep(30);
  }
  throw new Error(proc.name + ' did not start:\n' + proc.text());
}

function startServer(dir, port) {
  const portFile = path.join(dir, 'server-port');
  fs.rmSync(portFile, { force: true });
  const p = new Proc('server', SERVER, [
    '--port', String(port), '--database', path.join(dir, 'ruin.db'),
    '--areas', path.join(REPO, 'areas'), '--lua', path.join(REPO, 'lua'),
    '--set', 'port_file=' + portFile, '--set', 'pwhash_ops=1', '--set', 'pwhash_mem_kb=64',
    '--set', 'admin_socket=' + path.join(dir, 'admin.sock'), '--set', 'trusted_proxies=127.0.0.1/32',
  ], dir);
  return waitFile(portFile, p).then(() => p);
}

async function startBridge(dir, serverPort) {
  const portFile = path.join(dir, 'bridge-port');
  const p = new Proc('bridge', BRIDGE, [
    '--port', '0', '--server', '127.0.0.1:' + serverPort, '--www', path.join(REPO, 'bridge', 'www'),
    '--set', 'port_file=' + portFile, '--set', 'log_level=debug',
  ], dir);
  p.port = await waitFile(portFile, p);
  return p;
}

// The text of the output pane.
const outputText = (page) => page.locator('#output').innerText();

async function waitOutput(page, needle, timeout = WAIT) {
  await page.waitForFunction(
    (n) => document.getElementById('output').innerText.includes(n), needle, { timeout });
}

async function typeLine(page, line) {
  await page.fill('#input', line);
  await page.press('#input', 'Enter');
}

async function createCharacter(page, name) {
  await waitOutput(page, 'By what name are you known?');
  await typeLine(page, name);
  await waitOutput(page, 'Is that the name you want');
  await typeLine(page, 'yes');
  await waitOutput(page, 'Password:');
  // The game turned echo off: the input is a password field now.
  assert.equal(await page.getAttribute('#input', 'type'), 'password');
  await typeLine(page, PASSWORD);
  await waitOutput(page, 'Type it again:');
  await typeLine(page, PASSWORD);
  await waitOutput(page, 'Choose they, he or she:');
  assert.equal(await page.getAttribute('#input', 'type'), 'text');
  await typeLine(page, 'they');
  await waitOutput(page, 'Your path:');
  await typeLine(page, 'fighter');
  await waitOutput(page, 'Welcome to Forgotten Ruin, ' + name + '.');
  assert.ok(!(await outputText(page)).includes(PASSWORD), 'the password never shows');
}

// How the last span of the output pane reading exactly `text` looks in the browser.
function spanLook(page, text) {
  return page.evaluate((t) => {
    const span = [...document.querySelectorAll('#output span')].filter((x) => x.textContent === t).pop();
    if (!span) return null;
    const cs = getComputedStyle(span);
    return { color: cs.color, background: cs.backgroundColor, bold: Number(cs.fontWeight) >= 700,
      underline: cs.textDecorationLine === 'underline' };
  }, text);
}

// Waits until spanLook(page, text) has every field of want, then compares (for the message).
async function expectLook(page, text, want) {
  const deadline = Date.now() + WAIT;
  let look = null;
  while (Date.now() < deadline) {
    look = await spanLook(page, text);
    if (look && Object.keys(want).every((k) => look[k] === want[k])) return;
    await sleep(50);
  }
  assert.deepEqual(look && Object.fromEntries(Object.keys(want).map((k) => [k, look[k]])), want,
    'how "' + text + '" looks');
}

async function shot(page, name) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'e2e-' + name + '.png') });
}

// ---- the scenario ------------------------------------------------------------------------------

test('the web client in headless Chromium', async (t) => {
  for (const bin of [SERVER, BRIDGE, CHROMIUM])
    assert.ok(fs.existsSync(bin), bin + ' is missing (make all; tools/install-deps.sh --test)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ruin-e2e-'));
  const serverPort = await freePort();
  let server = await startServer(dir, serverPort);
  const bridge = await startBridge(dir, serverPort);
  const base = 'http://127.0.0.1:' + bridge.port + '/';
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
  });
  const pageErrors = [];
  const newPage = async (opts = {}) => {
    const ctx = await browser.newContext({ viewport: { width: 1200, height: 800 }, ...opts });
    const page = await ctx.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    return page;
  };
  let ok = false;
  try {
    const ayla = await newPage();
    const bram = await newPage();

    await t.test('log in from the browser', async () => {
      await ayla.goto(base);
      assert.equal(await ayla.getAttribute('#output', 'role'), 'log');
      assert.equal(await ayla.getAttribute('#output', 'aria-live'), 'polite');
      assert.equal(await ayla.locator('label[for="input"]').count(), 1);
      await createCharacter(ayla, 'Ayla');
      await ayla.waitForFunction(() => document.getElementById('status').textContent === 'Connected');
      // The input has the keyboard focus.
      assert.equal(await ayla.evaluate(() => document.activeElement.id), 'input');
      await shot(ayla, '1-logged-in');
    });

    await t.test('the room panel fills in and follows a move', async () => {
      await ayla.waitForFunction(() => document.getElementById('room-name').textContent.length > 1);
      const first = await ayla.textContent('#room-name');
      const exits = ayla.locator('#exits button');
      assert.ok((await exits.count()) > 0, 'exits are buttons');
      assert.ok(Number(await ayla.getAttribute('#hp-bar', 'aria-valuemax')) > 0, 'vitals filled');
      const dir = (await exits.first().textContent()).trim();
      await exits.first().click();
      await ayla.waitForFunction((f) => document.getElementById('room-name').textContent !== f, first,
        { timeout: WAIT });
      await shot(ayla, '2-moved');
      // Back where the second player will arrive, by typing the way back.
      const back = { north: 'south', south: 'north', east: 'west', west: 'east', up: 'down', down: 'up' };
      await typeLine(ayla, back[dir]);
      await ayla.waitForFunction((f) => document.getElementById('room-name').textContent === f, first,
        { timeout: WAIT });
    });

    await t.test('two players talk', async () => {
      await bram.goto(base);
      await createCharacter(bram, 'Bram');
      await ayla.waitForFunction(() => [...document.querySelectorAll('#players li')]
        .some((li) => li.textContent.includes('Bram')), null, { timeout: WAIT });
      await typeLine(ayla, 'say Well met, Bram!');
      await waitOutput(bram, "Well met, Bram!");
      await bram.waitForFunction(() => document.getElementById('channels').textContent.includes('Well met'));
      await typeLine(bram, 'say Hello Ayla');
      await waitOutput(ayla, 'Hello Ayla');
      await shot(bram, '3-talk');
    });

    await t.test('input history keeps the draft', async () => {
      await ayla.fill('#input', 'half typed');
      await ayla.press('#input', 'ArrowUp');
      assert.equal(await ayla.inputValue('#input'), 'say Well met, Bram!');
      await ayla.press('#input', 'ArrowDown');
      assert.equal(await ayla.inputValue('#input'), 'half typed');
      await ayla.fill('#input', '');
    });

    await t.test('the game\'s colors show, at each color level', async () => {
      // The prompt takes color markup (docs/building.md): a 16-color pair, a
      // hex color the server sends as 38;2 / 38;5 / a nearest 16, underline.
      const red = 'rgb(204, 59, 59)'; // --c1 in style.css
      await typeLine(ayla, 'color truecolor');
      await typeLine(ayla, 'prompt {rred{x {Rbright{x {#123456}deep{x {ucut{x>');
      await expectLook(ayla, 'deep', { color: 'rgb(18, 52, 86)', bold: false });
      await expectLook(ayla, 'red', { color: red, bold: false, underline: false });
      await expectLook(ayla, 'bright', { color: 'rgb(239, 95, 95)', bold: true }); // --c9
      await expectLook(ayla, 'cut', { underline: true, bold: false });
      await shot(ayla, '3-colors');
      await typeLine(ayla, 'color 256');
      await expectLook(ayla, 'deep', { color: 'rgb(0, 95, 95)' }); // 38;5;23
      await typeLine(ayla, 'color 16');
      await expectLook(ayla, 'deep', { color: 'rgb(46, 52, 54)' }); // 0;30: --c0
      await expectLook(ayla, 'red', { color: red });
      await typeLine(ayla, 'prompt default');
      await typeLine(ayla, 'color auto');
    });

    await t.test('colors split mid-escape render in Chromium', async () => {
      // The page's own renderer, fed in pieces that cut three escapes in two.
      const looks = await ayla.evaluate(async () => {
        const { AnsiRenderer } = await import('/ansi.js');
        const box = document.createElement('div');
        document.body.appendChild(box);
        const r = new AnsiRenderer(box);
        for (const piece of ['a \x1b[3', '1mred\x1b[38;5;', '196mcube\x1b[38;2;1', '8;52;86mtrue',
          '\x1b[0;7;31;44mrev\x1b', '[0m\n'])
          r.write(piece);
        const out = {
          text: box.textContent,
          spans: [...box.querySelectorAll('span')].map((s) => {
            const cs = getComputedStyle(s);
            return [s.textContent, cs.color, cs.backgroundColor];
          }),
        };
        box.remove();
        return out;
      });
      const plain = looks.spans[0];
      assert.equal(looks.text, 'a redcubetruerev');
      assert.deepEqual(looks.spans, [
        ['a ', plain[1], 'rgba(0, 0, 0, 0)'],
        ['red', 'rgb(204, 59, 59)', 'rgba(0, 0, 0, 0)'], // 31: --c1
        ['cube', 'rgb(255, 0, 0)', 'rgba(0, 0, 0, 0)'], // 38;5;196
        ['true', 'rgb(18, 52, 86)', 'rgba(0, 0, 0, 0)'], // 38;2;18;52;86
        ['rev', 'rgb(74, 115, 181)', 'rgb(204, 59, 59)'], // 7;31;44: --c4 on --c1
      ]);
    });

    await t.test('hostile text is shown, never run', async () => {
      await typeLine(bram, 'say <img src=x onerror="window.pwned=1"><b>bold</b>');
      await waitOutput(ayla, '<img src=x');
      assert.equal(await ayla.locator('#output img, #output b, #channels img').count(), 0);
      assert.equal(await ayla.evaluate(() => window.pwned), undefined);
    });

    await t.test('scrollback holds still while reading', async () => {
      for (let i = 0; i < 40; i++) await typeLine(ayla, 'say filler line ' + i);
      await waitOutput(ayla, 'filler line 39');
      await ayla.evaluate(() => { document.getElementById('output').scrollTop = 0; });
      await sleep(200);
      await typeLine(bram, 'say while you read');
      await waitOutput(ayla, 'while you read');
      assert.equal(await ayla.evaluate(() => document.getElementById('output').scrollTop), 0);
      assert.equal(await ayla.isVisible('#more'), true);
      await ayla.click('#more');
      await ayla.waitForFunction(() => {
        const o = document.getElementById('output');
        return o.scrollHeight - o.scrollTop - o.clientHeight < 40;
      });
      // Text that comes between a scroll up and its scroll event (which
      // waits for the next frame) must not pull the view back down.
      const top = await ayla.evaluate(() => {
        const o = document.getElementById('output');
        o.scrollTop = 0;
        window.ruin.receive({ type: 'text', data: 'in the same moment\n', timestamp: Date.now() });
        return o.scrollTop;
      });
      assert.equal(top, 0);
      assert.equal(await ayla.isVisible('#more'), true);
      await ayla.click('#more');
    });

    await t.test('a dropped socket resumes without logging in again', async () => {
      await ayla.evaluate(() => window.ruin.drop());
      await typeLine(bram, 'say said while Ayla was away');
      await waitOutput(ayla, 'reconnected: you are back where you were');
      await waitOutput(ayla, 'said while Ayla was away');
      await ayla.waitForFunction(() => document.getElementById('status').textContent === 'Connected');
      await typeLine(ayla, 'say back again');
      await waitOutput(bram, 'back again');
      const text = await outputText(ayla);
      assert.equal(text.split('By what name are you known?').length, 2, 'no second login');
      // A reload of the tab resumes too.
      await ayla.reload();
      await waitOutput(ayla, 'reconnected: you are back where you were');
      await typeLine(ayla, 'look');
      await waitOutput(ayla, '[Exits:');
      await shot(ayla, '4-resumed');
    });

    await t.test('the game going away is told, and Reconnect works once it is back', async () => {
      const rc = await server.stop();
      assert.equal(rc, 0);
      await waitOutput(ayla, 'the game session ended');
      await ayla.waitForSelector('#reconnect', { state: 'visible' });
      await shot(ayla, '5-lost');
      // The bridge still serves the page.
      const res = await ayla.request.get(base);
      assert.equal(res.status(), 200);
      server = await startServer(dir, serverPort);
      const before = (await outputText(ayla)).length;
      await ayla.click('#reconnect');
      await ayla.waitForFunction((n) => document.getElementById('output').innerText.slice(n)
        .includes('By what name are you known?'), before, { timeout: WAIT });
      await typeLine(ayla, 'Ayla');
      await waitOutput(ayla, 'Password:');
      await typeLine(ayla, PASSWORD);
      await waitOutput(ayla, 'Welcome back, Ayla.');
    });

    await t.test('on a phone', async () => {
      const phone = await newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
      await phone.goto(base);
      await createCharacter(phone, 'Pip');
      await phone.waitForFunction(() => document.querySelectorAll('#compass button').length > 0);
      assert.equal(await phone.isVisible('#compass'), true);
      assert.equal(await phone.isVisible('#side'), false);
      assert.equal(await phone.isVisible('#input'), true);
      const box = await phone.locator('#input').boundingBox();
      assert.ok(box.y + box.height <= 844, 'the input is on screen');
      await phone.locator('#compass button').first().tap();
      await waitOutput(phone, '[Exits:');
      await shot(phone, '6-phone');
      await phone.click('#panel-toggle');
      assert.equal(await phone.isVisible('#side'), true);
      await shot(phone, '7-phone-panel');
    });

    assert.deepEqual(pageErrors, [], 'no script errors in the page');
    ok = true;
  } finally {
    await browser.close();
    const rb = await bridge.stop();
    const rs = await server.stop();
    if (!ok) {
      process.stderr.write('---- bridge log ----\n' + bridge.text().slice(-20000));
      process.stderr.write('---- server log ----\n' + server.text().slice(-20000));
    }
    if (!process.env.RUIN_KEEP_TMP) fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(rb, 0, 'the bridge stops cleanly');
    assert.equal(rs, 0, 'the server stops cleanly');
  }
});

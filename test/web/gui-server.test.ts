/** `occupy gui`: the static server for the built web app, and the command itself. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { request } from 'node:http';
import { parseGuiArgs, startGuiServer } from '../../src/cli/gui-server.js';
import { occupyBin } from '../cli/harness.js';

/** A raw GET, so paths like /../x reach the server unnormalised (fetch would resolve them). */
function get(url: string, rawPath: string): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serves the app folder on 127.0.0.1 with content types, and nothing outside it', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'occupy-gui-'));
  mkdirSync(path.join(root, 'assets'));
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(path.join(root, 'assets', 'app.js'), 'export {};');
  writeFileSync(path.join(path.dirname(root), 'occupy-gui-secret.txt'), 'secret');
  const gui = await startGuiServer({ root, port: 0 });
  try {
    assert.match(gui.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const index = await get(gui.url, '/');
    assert.equal(index.status, 200);
    assert.match(index.type, /^text\/html/);
    assert.match(index.body, /<title>app<\/title>/);
    const script = await get(gui.url, '/assets/app.js?v=1');
    assert.equal(script.status, 200);
    assert.match(script.type, /^text\/javascript/);
    assert.equal((await get(gui.url, '/missing.js')).status, 404);
    for (const sneaky of ['/../occupy-gui-secret.txt', '/%2e%2e/occupy-gui-secret.txt', '/assets/..%2f..%2foccupy-gui-secret.txt']) {
      const r = await get(gui.url, sneaky);
      assert.notEqual(r.status, 200, `${sneaky} must not be served`);
      assert.ok(!r.body.includes('secret'));
    }
  } finally {
    await gui.close();
    rmSync(root, { recursive: true, force: true });
    rmSync(path.join(path.dirname(root), 'occupy-gui-secret.txt'), { force: true });
  }
});

test('refuses to start without a built app', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'occupy-gui-empty-'));
  try {
    await assert.rejects(startGuiServer({ root }), /not built.*npm run build/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('parses --port and --no-open, and refuses anything else', () => {
  assert.deepEqual(parseGuiArgs([]), { open: true });
  assert.deepEqual(parseGuiArgs(['--no-open', '--port', '8080']), { open: false, port: 8080 });
  assert.deepEqual(parseGuiArgs(['--port=0']), { open: true, port: 0 });
  assert.ok('error' in parseGuiArgs(['--port', 'abc']));
  assert.ok('error' in parseGuiArgs(['--port', '70000']));
  assert.ok('error' in parseGuiArgs(['--bogus']));
  assert.ok('help' in parseGuiArgs(['--help']));
});

test('`occupy gui --no-open` prints the address and serves the built app until stopped', async () => {
  const child = spawn(process.execPath, [occupyBin(), 'gui', '--no-open', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let timer: NodeJS.Timeout | undefined;
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
        if (match) resolve(match[0]);
      });
      child.on('exit', (code) => reject(new Error(`occupy gui exited (${code}) before printing its address: ${out}`)));
      timer = setTimeout(() => reject(new Error(`no address within 20 s: ${out}`)), 20_000);
    }).finally(() => clearTimeout(timer));
    const page = await get(url, '/');
    assert.equal(page.status, 200);
    assert.match(page.body, /OccuPy/);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

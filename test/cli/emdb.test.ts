/**
 * `--emdb ID` through the real download path, served from a local HTTP server that stands in for the EMDB
 * archive (`--emdb-server`): a good entry is fetched, unzipped, kept and used; the kept copy serves the next
 * run without the network; a missing entry and a corrupt download fail with one line and leave nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fixturesDir } from '../fixtures/fixture-cases.js';
import { outputsIn, runOccupy, runOccupyAsync, scratchFolder } from './harness.js';
import { emdbMapUrl, emdbNumber } from '../../src/cli/emdb.js';

const map = readFileSync(path.join(fixturesDir(), '1tii_occ_64.mrc'));
const served: Record<string, Buffer> = {
  '/EMD-1234/map/emd_1234.map.gz': gzipSync(map),
  '/EMD-6666/map/emd_6666.map.gz': Buffer.concat([gzipSync(map).subarray(0, 5000), Buffer.from('not the rest of a gzip stream')]),
};

async function archive(): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = served[req.url ?? ''];
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

test('entry numbers are read in the usual spellings and mapped to the archive layout', () => {
  assert.equal(emdbNumber('EMD-3061'), '3061');
  assert.equal(emdbNumber('emd_11638'), '11638');
  assert.equal(emdbNumber(' 3061 '), '3061');
  assert.throws(() => emdbNumber('12'), /not an EMDB entry number/);
  assert.throws(() => emdbNumber('3061.map'), /not an EMDB entry number/);
  assert.equal(emdbMapUrl('https://example.org/emdb/', '3061'), 'https://example.org/emdb/EMD-3061/map/emd_3061.map.gz');
});

test('--emdb fetches, unzips, keeps and runs on the map; the next run uses the kept copy', async () => {
  const { server, url, requests } = await archive();
  const { dir, cleanup } = scratchFolder();
  try {
    // The address as typed with spaces around it: used trimmed.
    let r = await runOccupyAsync(['--emdb', 'EMD-1234', '--emdb-server', ` ${url}/ `, '--occupancy'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(requests, ['/EMD-1234/map/emd_1234.map.gz']);
    assert.ok(readFileSync(path.join(dir, 'emd_1234.map')).equals(map), 'the kept map is the unzipped download');
    assert.ok(existsSync(path.join(dir, 'scale_occ_emd_1234.mrc')));

    server.close();
    r = await runOccupyAsync(['--emdb', '1234', '--emdb-server', url, '--occupancy'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Using EMD-1234 downloaded earlier/);
  } finally {
    server.close();
    cleanup();
  }
});

test('a missing entry or a corrupt download fails with one line and leaves no file behind', async () => {
  const { server, url } = await archive();
  const { dir, cleanup } = scratchFolder();
  try {
    for (const [id, message] of [
      ['9999', /occupy: --emdb 9999: the archive has no map for EMD-9999/],
      ['6666', /occupy: --emdb 6666: the download from .* is not a usable map .*nothing was kept/],
    ] as const) {
      const r = await runOccupyAsync(['--emdb', id, '--emdb-server', url], dir);
      assert.equal(r.status, 1, `${id}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split('\n').length, 1, `${id}: one line: ${r.stderr}`);
      assert.deepEqual(outputsIn(dir), [], `${id}: nothing written`);
    }
  } finally {
    server.close();
    cleanup();
  }
});

test('an entry number or archive address that cannot be one is refused in one line before anything is fetched', () => {
  const { dir, cleanup } = scratchFolder();
  try {
    const env = { ...process.env, OCCUPY_EMDB_SERVER: undefined };
    for (const [args, extra, status, message] of [
      // On the command line: a command-line mistake (exit 2).
      [['--emdb', 'abc'], {}, 2, /^occupy: --emdb: 'abc' is not an EMDB entry number \(e\.g\. 3061 or EMD-3061\)\.$/],
      [['--emdb', '3061', '--emdb-server', 'notaurl'], {}, 2, /^occupy: --emdb-server: 'notaurl' is not an http\(s\) address \(e\.g\. https:\/\/ftp\.ebi\.ac\.uk\/.*\)\.$/],
      [['--emdb', '3061', '--emdb-server', 'ftp://example.org/emdb'], {}, 2, /^occupy: --emdb-server: 'ftp:\/\/example\.org\/emdb' is not an http\(s\) address/],
      [['--emdb', '3061', '--emdb-server', 'https://example.org/emdb?token=x'], {}, 2, /^occupy: --emdb-server: 'https:\/\/example\.org\/emdb\?token=x' has a query or fragment/],
      // In the environment: an input that cannot be run (exit 1), naming the variable.
      [['--emdb', '3061'], { OCCUPY_EMDB_SERVER: 'notaurl' }, 1, /^occupy: OCCUPY_EMDB_SERVER: 'notaurl' is not an http\(s\) address/],
    ] as const) {
      const r = runOccupy(args, dir, { ...env, ...extra });
      assert.equal(r.status, status, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr.trimEnd(), message);
      assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
      assert.deepEqual(outputsIn(dir), [], 'nothing written');
    }
    // Given without --emdb, the archive's address is said to be unused.
    const r = runOccupy(['-i', path.join(fixturesDir(), '1tii_occ_64.mrc'), '--emdb-server', 'https://example.org', '--output-dir', path.join(dir, 'out')], dir, env);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /--emdb-server is where --emdb fetches from, but no --emdb was given; ignored\./);
  } finally {
    cleanup();
  }
});

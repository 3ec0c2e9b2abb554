/**
 * `occupy gui`: serves the built web app (dist/web) on 127.0.0.1 and opens it in the default browser. The
 * server only hands out the app's static files; maps are opened and computed in the browser, never sent here.
 *
 *   occupy gui [--port N] [--no-open]
 */
import { createServer, type Server } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/** dist/web beside this module's dist/src/cli (the layout `npm run build` makes). */
export function defaultWebRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web');
}

export interface GuiServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/**
 * Starts the static server; port 0 picks a free one. Only loopback is bound: the app is for this machine.
 * `isolate: false` leaves out the cross-origin-isolation headers, as a plain static host would (for tests).
 */
export async function startGuiServer(options: { root?: string; port?: number; isolate?: boolean } = {}): Promise<GuiServer> {
  const isolation = options.isolate === false ? {} : { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };
  const root = options.root ?? defaultWebRoot();
  try {
    await stat(path.join(root, 'index.html'));
  } catch {
    throw new Error(`the web app is not built (no ${path.join(root, 'index.html')}); run 'npm run build' first.`);
  }
  const server = createServer((request, response) => {
    void serveFile(root, request.url ?? '/').then(
      ({ status, type, body }) => {
        // Cross-origin isolation lets the app share memory between its workers (the core's parallel steps);
        // the app must not be framed or sniffed; no caching, so a rebuilt app is picked up on reload.
        response.writeHead(status, {
          'Content-Type': type,
          'Cache-Control': 'no-store',
          ...isolation,
          'X-Content-Type-Options': 'nosniff',
          'X-Frame-Options': 'DENY',
        });
        response.end(request.method === 'HEAD' ? undefined : body);
      },
      () => {
        response.writeHead(500, { 'Content-Type': 'text/plain' });
        response.end('internal error');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}/`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function serveFile(root: string, url: string): Promise<{ status: number; type: string; body: Buffer | string }> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://localhost').pathname);
  } catch {
    return { status: 400, type: 'text/plain', body: 'bad request' };
  }
  if (pathname.endsWith('/')) pathname += 'index.html';
  const file = path.resolve(root, '.' + pathname);
  // Nothing outside the app's folder, whatever the URL says.
  if (file !== root && !file.startsWith(root + path.sep)) return { status: 403, type: 'text/plain', body: 'forbidden' };
  try {
    const body = await readFile(file);
    return { status: 200, type: CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream', body };
  } catch {
    return { status: 404, type: 'text/plain', body: 'not found' };
  }
}

/**
 * Opens `url` in the default browser when the machine has one to show (a desktop session); on a headless
 * machine it does nothing and the printed URL is what the user follows (e.g. through an SSH tunnel).
 */
export function openInBrowser(url: string): boolean {
  const platform = process.platform;
  let command: string[];
  if (platform === 'darwin') command = ['open', url];
  else if (platform === 'win32') command = ['cmd', '/c', 'start', '', url];
  else if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) command = ['xdg-open', url];
  else return false;
  try {
    const child = spawn(command[0], command.slice(1), { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}

export interface GuiOptions {
  port?: number;
  open: boolean;
}

export function parseGuiArgs(args: readonly string[]): GuiOptions | { error: string } | { help: true } {
  const options: GuiOptions = { open: true };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--no-open') options.open = false;
    else if (arg === '-h' || arg === '--help') return { help: true };
    else if (arg === '--port' || arg.startsWith('--port=')) {
      const text = arg.includes('=') ? arg.slice('--port='.length) : args[++i];
      const port = Number(text);
      if (!/^\d+$/.test(text ?? '') || port > 65535) return { error: `--port must be a whole number from 0 to 65535, got '${text ?? ''}'.` };
      options.port = port;
    } else return { error: `unknown option '${arg}' for 'occupy gui' (options: --port N, --no-open).` };
  }
  return options;
}

const HELP = `Usage: occupy gui [--port N] [--no-open]

Serve the OccuPy web app on this machine (127.0.0.1) and open it in the default browser.
Maps are opened and computed in the browser; nothing is uploaded.

  --port N     port to listen on (default: a free one)
  --no-open    only print the address
`;

/** The `occupy gui` command: serves until interrupted (Ctrl-C); returns the exit code. */
export async function runGui(args: readonly string[]): Promise<number> {
  const parsed = parseGuiArgs(args);
  if ('help' in parsed) {
    process.stdout.write(HELP);
    return 0;
  }
  if ('error' in parsed) {
    process.stderr.write(`occupy gui: ${parsed.error}\n`);
    return 2;
  }
  let gui: GuiServer;
  try {
    gui = await startGuiServer({ port: parsed.port });
  } catch (error) {
    process.stderr.write(`occupy gui: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    // Listened for until the process ends (it ends after this): a relaunched server (bin/huge-pages.cjs) gets
    // Ctrl-C twice, from the terminal and passed on by the first process, and the second must not cut the
    // close short.
    const stop = () => {
      if (stopping) return;
      stopping = true;
      void gui.close().then(resolve);
      // Browsers keep connections alive; do not wait for them.
      gui.server.closeAllConnections();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  // Said once Ctrl-C is listened for: whoever reads the address may stop the server at once.
  process.stdout.write(`OccuPy web app: ${gui.url}\n(serving on this machine only; press Ctrl-C to stop)\n`);
  if (parsed.open && !openInBrowser(gui.url)) process.stdout.write('No desktop browser found here: open the address above in a browser.\n');
  await stopped;
  return 0;
}

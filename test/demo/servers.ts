// Starts the demo's three origins on 127.0.0.1: the frontend, the API and the file server the API redirects to.
import { createApi, createFileServer } from './api-server';
import { createServer } from 'node:net';
import { createFrontend } from './frontend-server';

export interface DemoServers {
  frontend: string;
  api: string;
  files: string;
  /** A port on 127.0.0.1 where nothing listens (the demo's service that is down). */
  down: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/** An origin on a port that was free a moment ago and is closed again: connecting to it is refused. */
async function closedOrigin(): Promise<string> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, HOST, () => r()));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return `http://${HOST}:${port}`;
}

/**
 * `basePort` for the frontend, +1 for the API, +2 for the file server (0: any free ports). A busy port falls
 * back to a free one; the apps are told each other's real origins.
 */
export async function startDemoServers(basePort: number): Promise<DemoServers> {
  const port = (i: number) => (basePort === 0 ? 0 : basePort + i);
  const origins = { apiOrigin: '', filesOrigin: '', downOrigin: await closedOrigin() };
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    // The frontend reads the API's origin when it renders the page, so it can start first.
    const frontend = await createFrontend(origins).listen(port(0), HOST);
    started.push(frontend);
    const files = await createFileServer({ frontendOrigin: frontend.origin }).listen(port(2), HOST);
    started.push(files);
    const api = await createApi({ frontendOrigin: frontend.origin, filesOrigin: files.origin }).listen(port(1), HOST);
    started.push(api);
    origins.apiOrigin = api.origin;
    origins.filesOrigin = files.origin;
    return {
      frontend: frontend.origin, api: api.origin, files: files.origin, down: origins.downOrigin,
      close: async () => { await Promise.all(started.map((s) => s.close())); },
    };
  } catch (e) {
    await Promise.all(started.map((s) => s.close()));
    throw e;
  }
}

// Starts the demo's origins on 127.0.0.1: the frontend, the API, the file server the API redirects to, and the
// partner widget when a call comes from it.
import { createApi, createFileServer } from './api-server';
import { createServer } from 'node:net';
import type { DemoCall } from './calls';
import { createFrontend, createWidget } from './frontend-server';

export interface DemoServers {
  frontend: string;
  api: string;
  files: string;
  /** A port on 127.0.0.1 where nothing listens (the demo's service that is down). */
  down: string;
  /** The partner widget's origin ('' when no call comes from it): the browser must be told it is public. */
  widget: string;
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
 * `basePort` for the frontend, +1 for the API, +2 for the file server, +3 for the widget (0: any free ports). A
 * busy port falls back to a free one; the apps are told each other's real origins.
 */
export async function startDemoServers(basePort: number, calls: DemoCall[]): Promise<DemoServers> {
  const port = (i: number) => (basePort === 0 ? 0 : basePort + i);
  const origins = { apiOrigin: '', filesOrigin: '', widgetOrigin: '', downOrigin: await closedOrigin(), calls };
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    // The frontend reads the API's origin when it renders the page, so it can start first.
    const frontend = await createFrontend(origins).listen(port(0), HOST);
    started.push(frontend);
    const files = await createFileServer({ frontendOrigin: frontend.origin }).listen(port(2), HOST);
    started.push(files);
    const api = await createApi({ frontendOrigin: frontend.origin, filesOrigin: files.origin }).listen(port(1), HOST);
    started.push(api);
    if (calls.some((c) => c.fromWidget)) {
      const widget = await createWidget().listen(port(3), HOST);
      started.push(widget);
      origins.widgetOrigin = widget.origin;
    }
    origins.apiOrigin = api.origin;
    origins.filesOrigin = files.origin;
    return {
      frontend: frontend.origin,
      api: api.origin,
      files: files.origin,
      down: origins.downOrigin,
      widget: origins.widgetOrigin,
      close: async () => {
        await Promise.all(started.map((s) => s.close()));
      },
    };
  } catch (e) {
    await Promise.all(started.map((s) => s.close()));
    throw e;
  }
}

// Test helpers: a tiny SSE server that writes chosen byte splits, and a fetch that records chunks.
import http from 'node:http';

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Start a server; `handler(req, res, n)` gets the 1-based connection number.
 * Returns { url, requests, closed, close() }: requests holds {headers, body}; closed counts
 * responses whose client went away before the end.
 */
export async function startServer(handler) {
  const state = { requests: [], closed: 0 };
  const server = http.createServer(async (req, res) => {
    let body = '';
    for await (const part of req) body += part;
    state.requests.push({ headers: req.headers, body, url: req.url });
    res.socket.setNoDelay(true);
    res.on('close', () => { if (!res.writableFinished) state.closed += 1; });
    try {
      await handler(req, res, state.requests.length);
    } catch {
      res.destroy();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/stream`,
    state,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

/** Write `bytes` split at the given offsets, pausing so each piece arrives as its own chunk. */
export async function writeSplit(res, bytes, cuts, pauseMs = 40) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.flushHeaders();
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    if (res.destroyed) return;
    res.write(bytes.subarray(at, cut));
    at = cut;
    await sleep(pauseMs);
  }
  res.end();
}

/** A fetch that records the size of every body chunk the client reads. */
export function recordingFetch(sizes) {
  return async (url, init) => {
    const response = await fetch(url, init);
    if (!response.body) return response;
    const body = response.body.pipeThrough(new TransformStream({
      transform(chunk, controller) { sizes.push(chunk.byteLength); controller.enqueue(chunk); },
    }));
    return new Response(body, { status: response.status, headers: response.headers });
  };
}

export const frame = (id, event, data) => `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

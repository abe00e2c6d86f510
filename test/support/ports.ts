// Loopback port helpers: pick a free TCP port and wait until a port accepts connections.
import net from 'node:net';

/** Asks the kernel for a free TCP port on 127.0.0.1 and releases it again. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the address of a probe server'));
        return;
      }
      const { port } = address;
      server.close(() => resolve(port));
    });
  });
}

function tryConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/**
 * Polls until 127.0.0.1:port accepts a TCP connection.
 * `isDead` lets the caller stop early, e.g. when the server process has exited.
 */
export async function waitForPort(
  port: number,
  opts: { timeoutMs?: number; isDead?: () => boolean } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
  while (Date.now() < deadline) {
    if (opts.isDead?.()) throw new Error(`the process meant to listen on port ${port} has exited`);
    if (await tryConnect(port)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`port ${port} did not accept connections within ${opts.timeoutMs ?? 15_000} ms`);
}

/**
 * A loopback TCP server for tests that answer HTTP requests with bytes of their choosing: each
 * request (its head, and a body by Content-Length) goes to the handler of its connection, with
 * the raw socket to write to. Stopping it destroys the sockets still open.
 */
import { createServer, type AddressInfo, type Socket } from "node:net";

export interface RawTcpServer {
  port: number;
  /** Connections accepted, and how many of them have closed. */
  connections: number;
  closed: number;
  close(): Promise<void>;
}

/** Called once per connection; returns what to do with each request on it (the raw request text, Latin-1). */
export type OnConnection = (socket: Socket, index: number) => (request: string) => void;

export async function startRawTcpServer(onConnection: OnConnection): Promise<RawTcpServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    const index = state.connections++;
    socket.on("error", () => undefined);
    socket.on("close", () => {
      state.closed++;
      sockets.delete(socket);
    });
    const onRequest = onConnection(socket, index);
    let buffered = "";
    socket.on("data", (data: Buffer) => {
      buffered += data.toString("latin1");
      for (let end = buffered.indexOf("\r\n\r\n"); end >= 0; end = buffered.indexOf("\r\n\r\n")) {
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        const request = buffered.slice(0, end + 4 + length);
        buffered = buffered.slice(end + 4 + length);
        onRequest(request);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const state: RawTcpServer = {
    port: (server.address() as AddressInfo).port,
    connections: 0,
    closed: 0,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
  return state;
}

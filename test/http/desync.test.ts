/**
 * Desync probes: stray bytes a server sends with a response, or before the next one, must never
 * become the answer to the next request on the connection. Each probe runs against this
 * transport and against smithy's NodeHttpHandler where node:http's outcome does not depend on
 * timing.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { Socket } from "node:net";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { HttpRequest } from "@smithy/core/transport";
import { KeepAliveHttpHandler } from "../../src/http/KeepAliveHttpHandler";
import { startRawTcpServer, type RawTcpServer } from "../helpers/rawTcpServer";

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const reply = (body: string) => `HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
/** A whole response, as a server out of step (or an attacker's body) would slip it in. */
const EVIL = reply("evil");

/** A raw server that answers its n-th request (over all connections) with `answer(n, socket)`, which writes as it likes. */
async function scripted(answer: (n: number, socket: Socket) => void): Promise<RawTcpServer> {
  let n = 0;
  const server = await startRawTcpServer((socket) => () => answer(n++, socket));
  closers.push(() => server.close());
  return server;
}

type Transport = "ours" | "node";

function handler(transport: Transport) {
  const h = transport === "ours" ? new KeepAliveHttpHandler() : new NodeHttpHandler();
  closers.push(() => h.destroy());
  return h;
}

/** The body the caller got, or "error". */
async function bodyOf(h: ReturnType<typeof handler>, port: number): Promise<string> {
  const request = new HttpRequest({ protocol: "http:", hostname: "127.0.0.1", port, method: "GET", path: "/", headers: { host: `127.0.0.1:${port}` } });
  try {
    const { response } = await h.handle(request);
    const body = response.body as Buffer | AsyncIterable<Buffer>;
    if (Buffer.isBuffer(body)) return body.toString();
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(chunk);
    return Buffer.concat(chunks).toString();
  } catch {
    return "error";
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

describe.each<Transport>(["ours", "node"])("stray bytes arriving with a response (%s)", (transport) => {
  it("a whole extra response after the body is never the next request's answer", async () => {
    const server = await scripted((n, socket) => socket.write(n === 0 ? `${reply("one")}${EVIL}` : reply(`answer ${n}`)));
    const h = handler(transport);
    const first = await bodyOf(h, server.port);
    // node:http delivers the first response and drops the connection; this transport refuses the
    // first (its framing is in doubt) and drops the connection too.
    expect(first).toBe(transport === "ours" ? "error" : "one");
    expect(await bodyOf(h, server.port)).toBe("answer 1");
    expect(server.connections).toBe(2);
  });

  it("a response smuggled by conflicting framing (Content-Length and chunked) is refused with its carrier", async () => {
    const carrier = `HTTP/1.1 200 OK\r\nContent-Length: ${5 + EVIL.length}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${EVIL}`;
    const server = await scripted((n, socket) => socket.write(n === 0 ? carrier : reply(`answer ${n}`)));
    const h = handler(transport);
    expect(await bodyOf(h, server.port)).toBe("error");
    expect(await bodyOf(h, server.port)).toBe("answer 1");
  });

  it("a response smuggled behind a header hidden by a bare LF is refused with its carrier", async () => {
    const carrier = `HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 0\r\nContent-Length: ${EVIL.length}\r\n\r\n${EVIL}`;
    const server = await scripted((n, socket) => socket.write(n === 0 ? carrier : reply(`answer ${n}`)));
    const h = handler(transport);
    expect(await bodyOf(h, server.port)).toBe("error");
    expect(await bodyOf(h, server.port)).toBe("answer 1");
  });
});

describe.each<Transport>(["ours", "node"])("stray bytes arriving before the next response, in its write (%s)", (transport) => {
  it("garbage before the status line fails that exchange; a CRLF there is skipped", async () => {
    const server = await scripted((n, socket) => socket.write(n === 1 ? `X\r\n${reply("two")}` : n === 2 ? `\r\n${reply("three")}` : reply(`answer ${n}`)));
    const h = handler(transport);
    expect(await bodyOf(h, server.port)).toBe("answer 0");
    expect(await bodyOf(h, server.port)).toBe("error");
    expect(await bodyOf(h, server.port)).toBe("three");
  });
});

describe("stray bytes arriving before the next request, on an idle connection (ours)", () => {
  it("the connection is dropped, and the next request gets its own answer on a new one", async () => {
    let straySent = false;
    const server = await scripted((n, socket) => {
      socket.write(reply(`answer ${n}`));
      // Once the client has its answer (its connection idle in the pool), the server sends more.
      if (n === 0) setTimeout(() => socket.write(EVIL, () => (straySent = true)), 20);
    });
    const h = handler("ours");
    expect(await bodyOf(h, server.port)).toBe("answer 0");
    await until(() => straySent && server.closed === 1);
    expect(await bodyOf(h, server.port)).toBe("answer 1");
    expect(server.connections).toBe(2);
  });

  it("a CRLF alone on an idle connection also drops it (a connection that says anything unasked is not trusted)", async () => {
    let straySent = false;
    const server = await scripted((n, socket) => {
      socket.write(reply(`answer ${n}`));
      if (n === 0) setTimeout(() => socket.write("\r\n", () => (straySent = true)), 20);
    });
    const h = handler("ours");
    expect(await bodyOf(h, server.port)).toBe("answer 0");
    await until(() => straySent && server.closed === 1);
    expect(await bodyOf(h, server.port)).toBe("answer 1");
  });
});

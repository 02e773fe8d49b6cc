// A bare HTTP/1.1 client over a TCP socket. The fuzzer needs to send what well-behaved clients refuse to
// (bytes that are not UTF-8 in a path or header, CR/LF in a header value, duplicate or contradictory
// headers, a body shorter than its Content-Length), so it writes the request bytes itself. One request
// per connection (`Connection: close`): the answer ends when the server closes.
import { connect } from 'node:net';

/** A header value is text (sent as UTF-8) or raw bytes (sent as they are). */
export type HeaderValue = string | Buffer;

export interface RawRequest {
  method: string;
  /** The request target exactly as sent: path and query, already percent-encoded (or not) as wanted. */
  target: string | Buffer;
  headers: [string, HeaderValue][];
  body?: Buffer;
  /** Content-Length is set from the body unless this says otherwise (a number, or false to send none). */
  contentLength?: number | false;
  /** Replaces the whole request line and headers (for requests that are not HTTP at all). */
  rawHead?: Buffer;
  /** HTTP version on the request line; 1.1 by default. */
  version?: string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  ms: number;
  /** What went wrong when no complete answer came back (timeout, reset, unparsable). */
  error?: string;
  /**
   * The server stopped reading the request: the connection closed before all of it was sent, or the end of
   * an answer to a large body it did not read was lost.
   */
  unsent?: boolean;
}

export function encodeRequest(req: RawRequest, host: string): Buffer {
  if (req.rawHead) return req.body ? Buffer.concat([req.rawHead, req.body]) : req.rawHead;
  const parts: Buffer[] = [];
  const target = typeof req.target === 'string' ? Buffer.from(req.target, 'latin1') : req.target;
  parts.push(Buffer.from(`${req.method} `, 'latin1'), target, Buffer.from(` HTTP/${req.version ?? '1.1'}\r\n`, 'latin1'));
  const names = new Set(req.headers.map(([n]) => n.toLowerCase()));
  if (!names.has('host')) parts.push(Buffer.from(`Host: ${host}\r\n`));
  if (!names.has('connection')) parts.push(Buffer.from('Connection: close\r\n'));
  for (const [name, value] of req.headers) {
    parts.push(
      Buffer.from(`${name}: `, 'latin1'),
      typeof value === 'string' ? Buffer.from(value, 'utf8') : value,
      Buffer.from('\r\n'),
    );
  }
  const length = req.contentLength ?? req.body?.length;
  if (length !== false && length !== undefined && !names.has('content-length') && !names.has('transfer-encoding')) {
    parts.push(Buffer.from(`Content-Length: ${length}\r\n`));
  }
  parts.push(Buffer.from('\r\n'));
  if (req.body) parts.push(req.body);
  return Buffer.concat(parts);
}

/** Sends one request and reads the answer until the server closes (or `timeoutMs` passes). */
export function send(hostname: string, port: number, req: RawRequest, timeoutMs: number): Promise<RawResponse> {
  const bytes = encodeRequest(req, `${hostname}:${port}`);
  return new Promise((resolve) => {
    const start = performance.now();
    const chunks: Buffer[] = [];
    let settled = false;
    let socketError: string | undefined;
    const socket = connect({ host: hostname, port });
    const finish = (error?: string, closed = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const ms = performance.now() - start;
      const unsent = socket.bytesWritten < bytes.length;
      socket.destroy();
      const parsed = parseResponse(Buffer.concat(chunks), req.method === 'HEAD');
      if (!parsed) {
        resolve({ status: 0, headers: {}, body: Buffer.alloc(0), ms, error: error ?? socketError ?? 'no answer', unsent });
        return;
      }
      // An answer without a length ends when the connection does.
      const complete = parsed.complete || (closed && parsed.untilClose && !error);
      const failure = complete ? undefined : (error ?? socketError ?? 'answer cut short');
      // A server that answers without reading a large body closes with the body's end still arriving; the
      // reset that follows can make the kernel drop the end of the answer. Not the server's doing.
      const dropped = !complete && closed && !error && (req.body?.length ?? 0) >= 64 * 1024;
      resolve({
        status: parsed.status,
        headers: parsed.headers,
        body: parsed.body,
        ms,
        error: failure,
        unsent: unsent || dropped,
      });
    };
    const timer = setTimeout(() => finish(`no complete answer within ${timeoutMs} ms`), timeoutMs);
    socket.on('connect', () => {
      // The server may answer and close before reading the whole body (a 413, a refused request):
      // a failed write is not the answer, so it is only noted.
      socket.write(bytes, (err) => {
        if (err) socketError = `write failed: ${err.message}`;
      });
    });
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      // Stop reading as soon as a complete answer is in (the server closes anyway).
      const parsed = parseResponse(Buffer.concat(chunks), req.method === 'HEAD');
      if (parsed?.complete) finish();
    });
    socket.on('error', (err) => {
      socketError = `${(err as NodeJS.ErrnoException).code ?? 'error'}: ${err.message}`;
    });
    socket.on('close', () => finish(undefined, true));
  });
}

interface Parsed {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  complete: boolean;
  untilClose?: boolean;
}

/** The first response in `buf`, or undefined when not even its status line and headers are there. */
export function parseResponse(buf: Buffer, head: boolean): Parsed | undefined {
  let offset = 0;
  // Skip interim answers (100 Continue).
  for (;;) {
    const end = buf.indexOf('\r\n\r\n', offset);
    if (end === -1) return undefined;
    const lines = buf.subarray(offset, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/\d\.\d (\d{3})/.exec(lines[0]);
    if (!m) return undefined;
    const status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    const bodyStart = end + 4;
    if (status >= 100 && status < 200) {
      offset = bodyStart;
      continue;
    }
    if (head || status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0), complete: true };
    if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const out: Buffer[] = [];
      let p = bodyStart;
      for (;;) {
        const eol = buf.indexOf('\r\n', p);
        if (eol === -1) return { status, headers, body: Buffer.concat(out), complete: false };
        const size = parseInt(buf.subarray(p, eol).toString('latin1'), 16);
        if (Number.isNaN(size)) return { status, headers, body: Buffer.concat(out), complete: false };
        if (size === 0) return { status, headers, body: Buffer.concat(out), complete: true };
        if (eol + 2 + size > buf.length) return { status, headers, body: Buffer.concat(out), complete: false };
        out.push(buf.subarray(eol + 2, eol + 2 + size));
        p = eol + 2 + size + 2;
      }
    }
    const length = headers['content-length'];
    if (length !== undefined) {
      const n = Number(length);
      const body = buf.subarray(bodyStart, bodyStart + n);
      return { status, headers, body, complete: body.length === n };
    }
    // No length: the body runs to the end of the connection, which `finish` on close sees.
    return { status, headers, body: buf.subarray(bodyStart), complete: false, untilClose: true };
  }
}

// The categories that break a request around its body's fields: the content type, the JSON syntax, the
// method, one header, the route, HTTP itself.
import { Draft, NO_BODY, printable, short } from './draft.js';
import type { HeaderValue } from './raw-http.js';
import { type Rng, longString } from './values.js';

/** A body sent with a content type the route does not take, or none. */
export function contentType(d: Draft, rng: Rng): string {
  const ct = rng.pick([
    undefined,
    '',
    'text/plain',
    'text/html',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=xyz',
    'application/octet-stream',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/json; charset="utf-8"',
    'application/json;;;',
    'application/json; x=' + 'y'.repeat(4000),
    'APPLICATION/JSON',
    'Application/Json',
    'application/json, text/plain',
    'application/jsonx',
    'application/json-patch+json',
    'application/merge-patch+json',
    'application/problem+json',
    'application/vnd.api+json',
    '*/*',
    'application/*',
    'json',
    ' application/json',
    'application/json\t',
    'application/json; charset=utf-8; charset=utf-16',
  ]);
  if (ct === undefined) {
    d.contentType = undefined;
    return 'body without Content-Type';
  }
  if (ct === 'application/json; charset=utf-16' && rng.chance(0.5)) {
    d.rawBody = Buffer.from(d.json.stringify(d.body), 'utf16le');
  }
  if (rng.chance(0.1)) {
    d.headers.push(['Content-Type', 'application/json'], ['Content-Type', ct]);
    return `two Content-Type headers (json and ${short(ct)})`;
  }
  d.contentType = ct;
  return `Content-Type: ${short(ct)}`;
}

/** Empty, truncated and otherwise broken JSON. */
export function jsonSyntax(d: Draft, rng: Rng): string {
  const full = d.json.stringify(d.body);
  const text = rng.pick([
    '',
    ' ',
    '\n',
    '{',
    '}',
    '[',
    '"',
    '{"',
    '{"a"',
    '{"a":',
    '{"a":}',
    'nul',
    'tru',
    'nan',
    '{"a":1,}',
    '[1,]',
    "{'a':1}",
    '{a:1}',
    '{"a":1}{"b":2}',
    '{"a":1} garbage',
    '{"a":1}\u0000',
    '// comment\n{}',
    '{"a":"\\x"}',
    '{"a":"\\u12"}',
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
    '{"a":"unterminated}',
    '{"a":1e}',
    '{"a":-}',
    '{"a":01}',
    '{"a":"\t"}',
    '\ufeff{}',
    '\ufeff' + full,
    full.slice(0, Math.max(0, full.length - 1)),
    full.slice(0, Math.floor(full.length / 2)),
    full.slice(1),
    full + ']',
    full.replace(/:/, '::'),
    full.replace(/"/, "'"),
    full.replace(/,/g, ',,'),
    '{"__proto__":{"isAdmin":true}}',
    '{"a":1,"a":2}',
    full.replace(/^\{/, '{"x":1,"x":2,'),
    '1',
    '"text"',
    'null',
    'true',
    '[]',
    '{}',
  ]);
  if (rng.chance(0.15) && text.length > 2) {
    // Content-Length shorter than what is sent: the server sees a truncated body.
    d.rawBody = Buffer.from(text);
    d.contentLength = Math.floor(text.length / 2);
    return `Content-Length ${d.contentLength} for ${text.length} bytes`;
  }
  d.rawBody = Buffer.from(text);
  d.contentType ??= 'application/json';
  return `JSON ${short(printable(text))}`;
}

/** A method the route does not take. */
export function method(d: Draft, rng: Rng): string {
  const m = rng.pick([
    'GET',
    'POST',
    'PUT',
    'PATCH',
    'DELETE',
    'HEAD',
    'OPTIONS',
    'OPTIONS',
    'TRACE',
    'PROPFIND',
    'SEARCH',
    'LINK',
    'PURGE',
    'MKCOL',
    'REPORT',
    'QUERY',
    'FOO',
    'get',
    'Get',
    'G',
    'GETT',
  ]);
  d.method = m;
  if (m === 'OPTIONS' && rng.chance(0.6)) {
    d.headers.push(
      ['Origin', rng.pick(['https://evil.example', 'null', 'http://localhost', 'https://newsroom.example', ''])],
      ['Access-Control-Request-Method', rng.pick(['PATCH', 'DELETE', 'POST', 'GET', 'FOO', ''])],
      ['Access-Control-Request-Headers', rng.pick(['authorization,change-reason', 'x-' + 'a'.repeat(2000), '', 'content-type'])],
    );
    return `CORS preflight on ${d.op.path}`;
  }
  if (rng.chance(0.2)) d.headers.push(['X-HTTP-Method-Override', rng.pick(['DELETE', 'PATCH', 'PUT'])]);
  return `${m} ${d.op.path} (documented: ${d.op.method})`;
}

/** One odd header on an otherwise valid request. */
export function headers(d: Draft, rng: Rng, adminKey: string | undefined): string {
  const control = () => rng.pick(['\x01', '\x07', '\x08', '\x1b', '\x7f', 'a\x00b']);
  const kind = rng.weighted({
    reason: 5,
    ifMatch: 3,
    idempotency: 3,
    requestId: 3,
    auth: 3,
    misc: 3,
    crlf: 2,
  });
  const set = (name: string, value: HeaderValue) => {
    d.headers = d.headers.filter(([n]) => n.toLowerCase() !== name.toLowerCase());
    d.headers.push([name, value]);
    return `${name}: ${short(typeof value === 'string' ? printable(value) : `bytes ${value.toString('hex')}`)}`;
  };
  switch (kind) {
    case 'reason':
      return set(
        'Change-Reason',
        rng.pick<HeaderValue>([
          `fix ${control()}`,
          '%00',
          '%FF',
          '%E0%A4%A',
          '%ED%A0%80',
          '%0D%0A',
          '%7F',
          '%',
          '50% of it',
          'Corrected%20the%20date%20%E2%80%94%20see%20the%20source',
          Buffer.from([0xff, 0xfe]),
          Buffer.from('caf\xe9', 'latin1'),
          Buffer.from([0xed, 0xa0, 0x80]),
          Buffer.from('Corrección', 'utf8'),
          '',
          ' ',
          '\t',
          longString(2000),
          longString(2001),
          longString(10_000),
          '😀',
          '<script>alert(1)</script>',
        ]),
      );
    case 'ifMatch':
      return set(
        'If-Match',
        rng.pick<HeaderValue>([
          '*',
          '"',
          'W/',
          'W/"',
          '""',
          '"x"',
          'W/"x", W/"y"',
          ',,,',
          '*, "x"',
          longString(1001),
          longString(10_000),
          `"${control()}"`,
          Buffer.from([0xff]),
          '\u00e9',
        ]),
      );
    case 'idempotency':
      return set(
        'Idempotency-Key',
        rng.pick<HeaderValue>([
          '',
          ' ',
          'x',
          'same-key',
          'same-key',
          longString(200),
          longString(201),
          longString(10_000),
          `k${control()}`,
          Buffer.from([0xff]),
          'é',
          'a b',
          '%00',
        ]),
      );
    case 'requestId':
      return set(
        'X-Request-Id',
        rng.pick<HeaderValue>([
          longString(10_000),
          longString(65),
          'a b',
          '../../etc',
          '<script>',
          `id${control()}`,
          Buffer.from([0xff, 0xfe]),
          '',
          '%0D%0AX-Injected:%201',
          'é',
        ]),
      );
    case 'auth':
      return set(
        'Authorization',
        rng.pick<HeaderValue>([
          'Bearer',
          'Bearer ',
          'Bearer  ' + (adminKey ?? 'x'),
          `bearer ${adminKey ?? 'x'}`,
          `Bearer ${adminKey ?? 'x'}x`,
          `Bearer ${(adminKey ?? 'x').slice(0, -1)}`,
          `Basic ${Buffer.from(`admin:${adminKey}`).toString('base64')}`,
          `Bearer ${longString(10_000)}`,
          `Bearer ${rng.hex(64)}`,
          'Bearer \u00e9',
          Buffer.from([0x42, 0x65, 0x61, 0x72, 0x65, 0x72, 0x20, 0xff]),
          `Token ${adminKey}`,
          `Bearer ${adminKey}, Bearer x`,
        ]),
      );
    case 'misc': {
      const [name, value] = rng.pick<[string, HeaderValue]>([
        ['Accept', 'application/xml'],
        ['Accept', 'text/csv'],
        ['Accept', 'application/x-ndjson'],
        ['Accept', 'text/csv;q=0.5, application/x-ndjson;q=0.5'],
        ['Accept', '*/*;q=abc'],
        ['Accept', longString(8000, ',')],
        ['Accept-Encoding', 'gzip;q=2, br;q=-1, identity;q=0'],
        ['Accept-Language', longString(4000, '-')],
        ['If-None-Match', '*'],
        ['If-None-Match', longString(5000)],
        ['If-Modified-Since', 'not a date'],
        ['If-Modified-Since', 'Tue, 31 Feb 2024 00:00:00 GMT'],
        ['Range', 'bytes=0-0,1-1,2-2'],
        ['Origin', 'https://evil.example'],
        ['Origin', 'null'],
        ['X-Forwarded-For', '1.2.3.4, ' + longString(5000, '9')],
        ['X-Forwarded-For', 'not-an-ip'],
        ['X-Forwarded-Host', 'evil.example'],
        ['X-Forwarded-Proto', 'gopher'],
        ['Forwarded', 'for=;;;'],
        ['Cookie', 'a=' + longString(8000)],
        ['Content-Encoding', 'gzip'],
        ['Content-Encoding', 'br, deflate, x'],
        ['Upgrade', 'websocket'],
        ['TE', 'trailers, deflate'],
        ['Via', longString(3000)],
        ['Expect', '100-continue'],
        ['Prefer', 'return=minimal; handling=lenient'],
        ['Max-Forwards', '-1'],
        ['Host', 'evil.example'],
        ['Host', ''],
        ['X-Frame-Options', 'ALLOW'],
        ['Referer', `https://x/${longString(3000)}`],
        ['Cache-Control', 'no-cache, max-age=-1'],
      ]);
      return set(name, value);
    }
    case 'crlf': {
      // Header values the HTTP parser must refuse or split: bare CR, bare LF, obs-fold, NUL, a header
      // injected after CR LF.
      const name = rng.pick(['X-Request-Id', 'Change-Reason', 'Idempotency-Key', 'If-Match']);
      const v = rng.pick([
        'a\r\nX-Injected: 1',
        'a\rb',
        'a\nb',
        'a\r\n b',
        'a\u0000b',
        'a\r\n\r\nGET /health HTTP/1.1',
        `${longString(9000)}\r\nX-Injected: 1`,
      ]);
      d.headers.push([name, Buffer.from(v, 'latin1')]);
      return `${name} with ${printable(v).slice(0, 40)}`;
    }
  }
}

/** A URL no route serves. */
export function route(d: Draft, rng: Rng): string {
  const t = rng.pick([
    '/nope',
    '/actors/x/y/z',
    '/actors/',
    '//actors',
    '/ACTORS',
    '/Actors',
    '/actors;jsessionid=1',
    '/actors#frag',
    '/actors/..',
    '/actors/../keys',
    '/../../etc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd',
    '/docs/../openapi.json',
    '/docs/static/../../package.json',
    '/docs/%2e%2e/%2e%2e/package.json',
    '/docs/' + longString(3000),
    '/docs/static/%FF',
    '/docs/json',
    '/docs/yaml',
    '/openapi.json/x',
    '/openapi.json?x=%FF',
    '/health/x',
    '/health?%FF',
    '/ready?x=' + longString(5000),
    '/' + longString(8000),
    '/' + longString(17_000),
    '/problems/',
    '/problems/nope',
    '/problems/%00',
    '/changes/x',
    '/keys/',
    '/keys/me',
    '/statements/x/citations/y',
    '/figures/series/x',
    '/.env',
    '/.git/config',
    '/data/PG_VERSION',
    '/node_modules/fastify/package.json',
    '/favicon.ico',
    '/robots.txt',
    '*',
    'http://evil.example/actors',
    'http://127.0.0.1/health',
    'actors',
    '/actors?' + 'a&'.repeat(3000),
    '/\\actors',
    '/actors\\..\\keys',
  ]);
  d.target = t;
  d.method = rng.pick(['GET', 'GET', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
  return `${d.method} ${short(t)}`;
}

/** Requests that bend HTTP itself. */
export function http(d: Draft, rng: Rng): string {
  const body = Buffer.from(d.json.stringify(d.body ?? {}));
  const kind = rng.pick([
    'no-host',
    'http10',
    'http09',
    'http2-line',
    'garbage',
    'tab-line',
    'no-colon',
    'space-name',
    'obs-fold',
    'te-and-cl',
    'bad-chunk',
    'chunked-ok',
    'cl-words',
    'cl-negative',
    'cl-double',
    'cl-list',
    'many-headers',
    'long-header-name',
    'headers-over-16k',
    'expect-junk',
    'lowercase-version',
  ] as const);
  const head = (s: string) => Buffer.from(s, 'latin1');
  const target = d.finish().target.toString();
  switch (kind) {
    case 'no-host':
      d.rawHead = head(`GET /health HTTP/1.1\r\nConnection: close\r\n\r\n`);
      break;
    case 'http10':
      d.version = '1.0';
      break;
    case 'http09':
      d.rawHead = head(`GET /health\r\n\r\n`);
      break;
    case 'http2-line':
      d.version = rng.pick(['2.0', '1.2', '9.9', '0.9']);
      break;
    case 'garbage':
      d.rawHead = rng.pick([
        head('HELLO\r\n\r\n'),
        head('\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03'),
        head('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'),
        head('\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'),
      ]);
      break;
    case 'tab-line':
      d.rawHead = head(`GET\t/health\tHTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      break;
    case 'no-colon':
      d.headers.push(['X-Bad', '']);
      d.rawHead = head(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nNoColonHere\r\n\r\n`);
      break;
    case 'space-name':
      d.rawHead = head(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX Bad: 1\r\n\r\n`);
      break;
    case 'obs-fold':
      d.rawHead = head(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-Id: a\r\n  folded\r\n\r\n`);
      break;
    case 'te-and-cl':
      d.rawHead = head(
        `POST ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nTransfer-Encoding: chunked\r\n\r\n`,
      );
      d.rawBody = Buffer.concat([head(`${body.length.toString(16)}\r\n`), body, head('\r\n0\r\n\r\n')]);
      d.body = NO_BODY;
      break;
    case 'bad-chunk':
      d.rawHead = head(
        `${d.op.method} ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`,
      );
      d.rawBody = head(
        rng.pick([
          'zz\r\n{}\r\n0\r\n\r\n',
          '-1\r\n{}\r\n0\r\n\r\n',
          'fffffffffffffffff\r\n{}\r\n0\r\n\r\n',
          '2;ext="\x00"\r\n{}\r\n0\r\n\r\n',
          '1\r\n{}\r\n0\r\n\r\n',
        ]),
      );
      break;
    case 'chunked-ok':
      d.rawHead = head(
        `${d.op.method} ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n${d.headers.map(([n, v]) => `${n}: ${v.toString()}\r\n`).join('')}\r\n`,
      );
      d.rawBody = Buffer.concat([head(`${body.length.toString(16)}\r\n`), body, head('\r\n0\r\n\r\n')]);
      break;
    case 'cl-words':
      d.headers.push(['Content-Length', 'abc']);
      break;
    case 'cl-negative':
      d.headers.push(['Content-Length', '-1']);
      break;
    case 'cl-double':
      d.headers.push(['Content-Length', String(body.length)], ['Content-Length', String(body.length + 1)]);
      break;
    case 'cl-list':
      d.headers.push(['Content-Length', `${body.length}, ${body.length}`]);
      break;
    case 'many-headers':
      for (let i = 0; i < rng.pick([200, 1000, 2100]); i++) d.headers.push([`X-H${i}`, '1']);
      break;
    case 'long-header-name':
      d.headers.push([`X-${longString(rng.pick([1000, 15_000]), 'n')}`, '1']);
      break;
    case 'headers-over-16k':
      d.headers.push(['X-Big', longString(17_000)]);
      break;
    case 'expect-junk':
      d.headers.push(['Expect', rng.pick(['junk', '100-continue, x', '200-ok'])]);
      break;
    case 'lowercase-version':
      d.rawHead = head(`GET /health http/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      break;
  }
  if ((kind === 'cl-words' || kind === 'cl-negative' || kind === 'cl-double' || kind === 'cl-list') && !d.rawBody) {
    d.rawBody = body;
    d.contentType ??= 'application/json';
  }
  return kind;
}

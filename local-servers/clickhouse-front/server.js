#!/usr/bin/env node
'use strict';
// Local stand-in for a ClickHouse server: ClickHouse's HTTP interface in front of
// chDB (the ClickHouse engine as an in-process library). See README.md.
//
//   node server.js --port <port> --data-dir <dir> [--host 127.0.0.1] [--max-memory-bytes N]

const http = require('http');
const zlib = require('zlib');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Session, drainPending } = require('chdb');
// The addon itself: its QueryAsyncConnection returns raw bytes (binary-safe
// results) and takes query parameters ({name:Type} bound from param_name).
const native = require('@chdb/lib-linux-x64-gnu');
const { compressNative, decompressNative, lz4FrameDecode, lz4FrameEncode } = require('./native-compression');

// ---------------------------------------------------------------- arguments
function parseArgs(argv) {
  const opts = { host: '127.0.0.1', port: null, dataDir: null, maxMemoryBytes: 1024 * 1024 * 1024 };
  for (let i = 0; i < argv.length; i++) {
    const [k, inline] = argv[i].split(/=(.*)/s, 2);
    const val = () => (inline !== undefined ? inline : argv[++i]);
    if (k === '--port') opts.port = Number(val());
    else if (k === '--host') opts.host = val();
    else if (k === '--data-dir') opts.dataDir = val();
    else if (k === '--max-memory-bytes') opts.maxMemoryBytes = Number(val());
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (!Number.isInteger(opts.port) || opts.port <= 0 || opts.port > 65535) throw new Error('--port <1..65535> is required');
  if (!opts.dataDir) throw new Error('--data-dir <dir> is required');
  if (!Number.isInteger(opts.maxMemoryBytes) || opts.maxMemoryBytes <= 0) throw new Error('--max-memory-bytes must be a positive integer');
  return opts;
}

const log = (...a) => console.error(new Date().toISOString(), ...a);

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(`clickhouse-front: ${e.message}`);
  console.error('usage: node server.js --port <port> --data-dir <dir> [--host 127.0.0.1] [--max-memory-bytes N]');
  process.exit(2);
}
fs.mkdirSync(opts.dataDir, { recursive: true });
// Private scratch dir for INSERT bodies (see insertFromBody); removed at exit.
const TMP_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'clickhouse-front-'));
process.on('exit', () => fs.rmSync(TMP_DIR, { recursive: true, force: true }));

// ---------------------------------------------------------------- engine
const session = new Session(opts.dataDir, {
  connectionArgs: [
    // Bounds the whole engine; the per-query limit below gives a clean
    // MEMORY_LIMIT_EXCEEDED for one runaway query before the global one trips.
    `--max_server_memory_usage=${opts.maxMemoryBytes}`,
    `--max_memory_usage=${opts.maxMemoryBytes}`,
    // Tables must be loaded before the first query answers (restart test).
    '--async_load_databases=0',
  ],
});

// One query at a time: the session is a single connection.
let queue = Promise.resolve();
const serialized = (fn) => {
  const p = queue.then(fn, fn);
  queue = p.catch(() => {});
  return p;
};

const conn = () => session.connection;
const toBuf = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
async function run(sql, format = 'TabSeparated', params) {
  const r = params && Object.keys(params).length
    ? await native.QueryAsyncConnection(conn(), sql, format, params)
    : await native.QueryAsyncConnection(conn(), sql, format);
  return r;
}

let VERSION = '';
let TIMEZONE = 'UTC';
let DISPLAY_NAME = 'clickhouse-front';
// Session's starting setting values (name -> value); a request's settings are
// reverted to these, not to DEFAULT, which would drop the --max_memory_usage above.
let INITIAL_SETTINGS = new Map();

// URL parameters that are part of the HTTP protocol itself, not settings.
const PROTOCOL_PARAMS = new Set([
  'query', 'database', 'default_format', 'query_id', 'session_id', 'session_timeout', 'session_check',
  'user', 'password', 'quota_key', 'compress', 'decompress', 'wait_end_of_query', 'buffer_size',
  'role', 'stacktrace', 'client_protocol_version', 'http_native_compression_disable_checksumming_on_decompress',
]);
// Settings never applied: they would break the shared session for later requests
// (readonly=1 forbids the SETs that the next request needs) or only concern HTTP.
const IGNORED_SETTINGS = new Set(['readonly', 'enable_http_compression', 'send_progress_in_http_headers',
  'http_headers_progress_interval_ms', 'max_memory_usage_for_user']);

// Settings currently applied to the session, so each request starts from the
// server defaults like a fresh ClickHouse HTTP query would.
let applied = new Map();
let currentDb = null;

const quote = (s) => `'${String(s).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const ident = (s) => '`' + String(s).replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';

async function prepareSession(db, settings) {
  const stmts = [];
  if (db !== currentDb) stmts.push(`USE ${ident(db)}`);
  const sets = [];
  for (const [k, v] of settings) if (applied.get(k) !== v) sets.push(`${k} = ${quote(v)}`);
  for (const k of applied.keys()) if (!settings.has(k)) sets.push(`${k} = ${quote(INITIAL_SETTINGS.get(k))}`);
  if (sets.length) stmts.push(`SET ${sets.join(', ')}`);
  if (!stmts.length) return;
  try {
    await run(stmts.join('; '));
    currentDb = db;
    applied = new Map(settings);
  } catch (e) {
    currentDb = null; // state unknown: redo everything next time
    applied = new Map([...applied, ...settings]);
    throw e;
  }
}

// ---------------------------------------------------------------- errors
// Exception code -> HTTP status, as in ClickHouse's exceptionCodeToHTTPStatus.cpp.
const STATUS_BY_CODE = new Map();
for (const c of [194]) STATUS_BY_CODE.set(c, 401);
for (const c of [192, 193, 516, 512, 497]) STATUS_BY_CODE.set(c, 403);
for (const c of [36, 427, 6, 25, 26, 38, 41, 72, 441, 675, 676, 27, 376, 15, 44, 37, 123, 8, 167, 168, 223, 62, 117, 53, 321]) {
  STATUS_BY_CODE.set(c, 400);
}
for (const c of [60, 46, 47, 50, 56, 81, 115, 152, 63, 73, 336, 78, 511]) STATUS_BY_CODE.set(c, 404);
STATUS_BY_CODE.set(229, 413).set(48, 501).set(209, 503).set(76, 503).set(381, 411).set(159, 408).set(439, 503).set(779, 415);

class HttpError extends Error {
  constructor(code, name, message) {
    super(`Code: ${code}. DB::Exception: ${message}. (${name})`);
    this.chCode = code;
  }
}

function errorResponse(res, err, headers) {
  let msg = String((err && err.message) || err).trim();
  let code = err && err.chCode;
  const m = /^Code: (\d+)\./.exec(msg);
  if (!code) code = m ? Number(m[1]) : (err && err.clickhouseCode) || 1002;
  if (!m) msg = `Code: ${code}. DB::Exception: ${msg}. (UNKNOWN_EXCEPTION)`;
  if (!/\(version [^)]*\)$/.test(msg)) msg += ` (version ${VERSION})`;
  const status = STATUS_BY_CODE.get(code) || 500;
  if (!res.headersSent) {
    res.writeHead(status, {
      ...headers,
      'Content-Type': 'text/plain; charset=UTF-8',
      'X-ClickHouse-Exception-Code': String(code),
    });
  }
  // Sent uncompressed even when compress=1, as ClickHouse does; client-v2
  // falls back to reading the plain text when the LZ4 magic is missing.
  res.end(msg + '\n');
}

// ---------------------------------------------------------------- formats
function contentType(format) {
  const f = format.toLowerCase();
  if (f === 'tabseparated' || f.startsWith('tsv') || f.startsWith('tabseparated')) return 'text/tab-separated-values; charset=UTF-8';
  if (f.startsWith('csv')) return 'text/csv; charset=UTF-8; header=' + (f.includes('withnames') ? 'present' : 'absent');
  if (f.startsWith('json') && f.includes('eachrow')) return 'application/x-ndjson; charset=UTF-8';
  if (f.startsWith('json')) return 'application/json; charset=UTF-8';
  if (f.startsWith('xml')) return 'application/xml; charset=UTF-8';
  if (/^(rowbinary|native|parquet|arrow|orc|avro|protobuf|capnproto|msgpack|bson|npy)/.test(f)) return 'application/octet-stream';
  return 'text/plain; charset=UTF-8';
}

// Strip leading whitespace and comments so statement-kind checks see the keyword.
function stripLead(sql) {
  let s = sql;
  for (;;) {
    const t = s.replace(/^\s+/, '');
    if (t.startsWith('--')) s = t.replace(/^--[^\n]*\n?/, '');
    else if (t.startsWith('/*')) { const e = t.indexOf('*/'); s = e < 0 ? '' : t.slice(e + 2); }
    else return t;
  }
}
const isInsert = (sql) => /^INSERT\b/i.test(stripLead(sql));
// Output format named by a trailing FORMAT clause (best effort, for headers only).
function formatClause(sql) {
  const m = /\bFORMAT\s+([A-Za-z0-9_]+)(?:\s+SETTINGS\b[\s\S]*)?\s*;?\s*$/i.exec(sql);
  return m ? m[1] : null;
}

// "INSERT INTO t ... FORMAT X<data>" in one piece (body or URL): split the
// statement from its data so binary data never passes through a JS string.
// ClickHouse skips blanks and one line break after the format name.
function splitInlineInsert(buf) {
  const head = buf.subarray(0, 65536).toString('latin1');
  const m = /^([\s\S]*?\bFORMAT[ \t\r\n]+[A-Za-z0-9_]+)[ \t]*(?:\r?\n)?/i.exec(head);
  if (!m || /\bSELECT\b/i.test(m[1])) return null;
  return { statement: Buffer.from(m[1], 'latin1').toString('utf8'), data: buf.subarray(Buffer.byteLength(m[0], 'latin1')) };
}

// Insert data goes to the engine as a file: "INSERT INTO t [(cols)] FROM INFILE
// 'f' [SETTINGS ..] FORMAT X". chDB's inline-data path stops reading at the
// first "\n\n" in the payload (a RowBinary Int64 2570 is 0x0A0A...), so it is
// not byte-safe; FROM INFILE is. The clause goes before the first top-level
// SETTINGS / FORMAT / VALUES keyword (outside quotes and parentheses).
function withInfile(statement, file) {
  const clause = ` FROM INFILE ${quote(file)} `;
  let depth = 0;
  for (let i = 0; i < statement.length; i++) {
    const c = statement[i];
    if (c === "'" || c === '"' || c === '`') {
      for (i++; i < statement.length && statement[i] !== c; i++) if (statement[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && /\s/.test(c)) {
      const m = /^\s(SETTINGS|FORMAT|VALUES)\b/i.exec(statement.slice(i, i + 10));
      if (m) {
        const rest = statement.slice(i + 1);
        return statement.slice(0, i) + clause + (m[1].toUpperCase() === 'VALUES' ? 'FORMAT Values' + rest.slice(6) : rest);
      }
    }
  }
  return statement + clause + 'FORMAT Values'; // ClickHouse reads format-less INSERT data as Values
}

let tmpSeq = 0;
async function insertFromBody(statement, data) {
  const file = path.join(TMP_DIR, `insert-${process.pid}-${++tmpSeq}.bin`);
  await fs.promises.writeFile(file, data);
  try {
    return await run(withInfile(statement, file));
  } finally {
    fs.promises.unlink(file).catch(() => {});
  }
}

// ---------------------------------------------------------------- requests
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decodeBody(body, encoding) {
  switch ((encoding || '').trim().toLowerCase()) {
    case '': case 'identity': return body;
    case 'gzip': case 'x-gzip': return zlib.gunzipSync(body);
    case 'deflate': return zlib.inflateSync(body);
    case 'br': return zlib.brotliDecompressSync(body);
    case 'lz4': return lz4FrameDecode(body);
    default: throw new HttpError(779, 'UNSUPPORTED_MEDIA_TYPE', `Unsupported Content-Encoding '${encoding}' (this stand-in decodes gzip, deflate, br, lz4)`);
  }
}

const truthy = (v) => v !== undefined && v !== null && v !== '0' && v.toLowerCase() !== 'false';

async function handle(req, res) {
  const url = new URL(req.url, 'http://localhost');
  const p = url.searchParams;
  const queryId = p.get('query_id') || req.headers['x-clickhouse-query-id'] || crypto.randomUUID();
  const baseHeaders = {
    'X-ClickHouse-Server-Display-Name': DISPLAY_NAME,
    'X-ClickHouse-Query-Id': queryId,
    'X-ClickHouse-Timezone': TIMEZONE,
  };

  if (url.pathname === '/ping' || url.pathname === '/replicas_status' ||
      (url.pathname === '/' && req.method !== 'POST' && !p.has('query'))) {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
    return res.end('Ok.\n');
  }
  if (url.pathname !== '/' && url.pathname !== '/query') {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=UTF-8' });
    return res.end(`There is no handle ${url.pathname}\n`);
  }

  try {
    let body = decodeBody(await readBody(req), req.headers['content-encoding']);
    if (truthy(p.get('decompress')) && body.length) {
      try { body = decompressNative(body); } catch (e) { throw new HttpError(271, 'CANNOT_DECOMPRESS', `Cannot decompress request body: ${e.message}`); }
    }

    // Query text: URL and/or body. With an INSERT in the URL, the body is its data.
    const urlQuery = p.get('query');
    let sql = null, insert = null;
    if (urlQuery !== null && body.length && isInsert(urlQuery)) {
      insert = { statement: urlQuery, data: body };
    } else if (urlQuery !== null && body.length) {
      sql = `${urlQuery}\n${body.toString('utf8')}`;
    } else {
      const buf = urlQuery !== null ? Buffer.from(urlQuery, 'utf8') : body;
      if (isInsert(buf.subarray(0, 4096).toString('latin1'))) insert = splitInlineInsert(buf);
      if (!insert) sql = buf.toString('utf8');
    }
    if (!insert && !sql.trim()) throw new HttpError(62, 'SYNTAX_ERROR', 'Empty query');

    const database = p.get('database') || req.headers['x-clickhouse-database'] || 'default';
    const defaultFormat = p.get('default_format') || req.headers['x-clickhouse-format'] || 'TabSeparated';
    const settings = new Map();
    const params = {};
    for (const [k, v] of p) {
      if (k.startsWith('param_')) params[k.slice(6)] = v;
      else if (!PROTOCOL_PARAMS.has(k) && !IGNORED_SETTINGS.has(k) && INITIAL_SETTINGS.has(k)) settings.set(k, v);
    }

    const t0 = process.hrtime.bigint();
    const r = await serialized(async () => {
      await prepareSession(database, settings);
      return insert ? insertFromBody(insert.statement, insert.data) : run(sql, defaultFormat, params);
    });
    const elapsedNs = process.hrtime.bigint() - t0;

    let out = r.bytes ? toBuf(r.bytes) : Buffer.alloc(0);
    const format = (sql && formatClause(sql)) || defaultFormat;
    // FROM INFILE reports the parsed input rows as read rows; an INSERT writes them.
    const written = insert ? r.rowsRead || 0 : 0;
    const writtenBytes = insert ? r.bytesRead || 0 : 0;
    const summary = {
      read_rows: String(r.rowsRead || 0), read_bytes: String(r.bytesRead || 0),
      written_rows: String(written), written_bytes: String(writtenBytes),
      total_rows_to_read: String(r.rowsRead || 0), result_rows: '0', result_bytes: String(out.length),
      elapsed_ns: String(elapsedNs),
    };
    const headers = {
      ...baseHeaders,
      'Content-Type': contentType(format),
      'X-ClickHouse-Format': format,
      'X-ClickHouse-Summary': JSON.stringify(summary),
    };
    if (truthy(p.get('compress'))) {
      out = compressNative(out);
    } else if (truthy(p.get('enable_http_compression'))) {
      const ae = String(req.headers['accept-encoding'] || '').toLowerCase();
      if (/\bgzip\b/.test(ae)) { out = zlib.gzipSync(out, { level: 1 }); headers['Content-Encoding'] = 'gzip'; }
      else if (/\bdeflate\b/.test(ae)) { out = zlib.deflateSync(out, { level: 1 }); headers['Content-Encoding'] = 'deflate'; }
      else if (/\bbr\b/.test(ae)) { out = zlib.brotliCompressSync(out); headers['Content-Encoding'] = 'br'; }
      else if (/\blz4\b/.test(ae)) { out = lz4FrameEncode(out); headers['Content-Encoding'] = 'lz4'; }
      // Anything else (zstd, xz, ...) is answered uncompressed, without Content-Encoding.
    }
    headers['Content-Length'] = out.length;
    res.writeHead(200, headers);
    res.end(out);
  } catch (e) {
    if (process.env.LEDGERFLOW_CH_DEBUG) log('error', req.url, e.message);
    errorResponse(res, e, baseHeaders);
  }
}

// ---------------------------------------------------------------- lifecycle
const server = http.createServer({ maxHeaderSize: 1024 * 1024, keepAliveTimeout: 30000 }, (req, res) => {
  if (process.env.LEDGERFLOW_CH_DEBUG) log(req.method, req.url);
  handle(req, res).catch((e) => { log('unhandled', e); errorResponse(res, e, {}); });
});

let stopping = false;
async function shutdown(reason) {
  if (stopping) return;
  stopping = true;
  log(`stopping (${reason})`);
  server.close();
  server.closeIdleConnections();
  const force = setTimeout(() => { log('forced exit'); process.exit(0); }, 5000);
  force.unref();
  try {
    await queue; // let the running query finish
    session.close();
    await drainPending();
  } catch (e) {
    log('error while closing', e.message);
  }
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));

const parentPid = Number(process.env.LEDGERFLOW_PARENT_PID || 0);
if (parentPid > 0) {
  // A killed test JVM cannot stop us, so watch it and leave no orphan behind.
  setInterval(() => {
    try { process.kill(parentPid, 0); } catch (e) { if (e.code === 'ESRCH') shutdown(`parent ${parentPid} gone`); }
  }, 500).unref();
}

(async () => {
  const info = (await run("SELECT version(), timezone(), hostName() FORMAT TSVRaw")).bytes;
  [VERSION, TIMEZONE, DISPLAY_NAME] = toBuf(info).toString('utf8').trim().split('\t');
  const rows = toBuf((await run('SELECT name, value FROM system.settings FORMAT JSONCompactEachRow')).bytes).toString('utf8');
  INITIAL_SETTINGS = new Map(rows.split('\n').filter(Boolean).map((l) => JSON.parse(l)));
  currentDb = 'default';
  server.on('error', (e) => { log(`cannot listen on ${opts.host}:${opts.port}: ${e.message}`); process.exit(1); });
  server.listen(opts.port, opts.host, () => {
    log(`chDB ${VERSION} data=${opts.dataDir} max_server_memory_usage=${opts.maxMemoryBytes} tz=${TIMEZONE}`);
    process.stdout.write(`READY http://${opts.host}:${opts.port}\n`);
  });
})().catch((e) => { log('startup failed:', e.message); process.exit(1); });

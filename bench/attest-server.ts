// Attest's own server entry (src/server.ts), started under this name so that tools matching
// "src/server.ts" on the command line (test clean-ups) leave the benchmark's server alone.
// Same module, same environment variables (DATABASE_URL, PORT, HOST, LOG_LEVEL).
import '../src/server.js';

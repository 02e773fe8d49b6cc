#!/usr/bin/env node
// The `attest` command without a build step (package.json "bin"): runs scripts/attest.ts through tsx.
import { register } from 'tsx/esm/api';

register();
await import('./attest.ts');

#!/usr/bin/env node
// The `lunar` command: the built command line (`pnpm build` makes dist/). Committed, so that an
// install links it before anything is built.
import '../dist/bin.js';

#!/usr/bin/env node
// The `lunar-ollama-sim` command: the built command line (`pnpm build` makes dist/). Committed, so that an
// install links it before anything is built.
import '../dist/cli.js';

export { type ExportTracesOptions, exportTracesFromEnv, type StopTraces } from './export-traces.js';

/** Flushes the spans not sent yet and stops exporting; a failure goes to `warn`, never thrown. */
export type StopTraces = () => Promise<void>;

export interface ExportTracesOptions {
  /** The environment to read (`process.env`). */
  env: NodeJS.ProcessEnv;
  /** `service.name` when `OTEL_SERVICE_NAME` does not set one, e.g. `lunar-server`. */
  serviceName: string;
  /** Where a failed flush is told, as one line. */
  warn: (line: string) => void;
}

/**
 * Registers the OpenTelemetry SDK with an OTLP/HTTP exporter when the standard environment names a
 * collector (`OTEL_EXPORTER_OTLP_ENDPOINT`, or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` for traces
 * alone) and `OTEL_SDK_DISABLED` is not `true`, so the agent's spans (every turn, stage, model call
 * and tool call) leave the process. `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES` and the
 * exporter's own variables apply. The SDK packages (`@opentelemetry/sdk-trace-node`,
 * `@opentelemetry/exporter-trace-otlp-http`, `@opentelemetry/resources`: optional peer
 * dependencies) are loaded only then. Resolves to what flushes the spans at exit, or `undefined`
 * when nothing was registered.
 */
export async function exportTracesFromEnv(options: ExportTracesOptions): Promise<StopTraces | undefined> {
  const { env, serviceName, warn } = options;
  const collector = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!collector || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const [{ BatchSpanProcessor, NodeTracerProvider }, { OTLPTraceExporter }, resources] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const tracing = new NodeTracerProvider({
    resource: resources
      .defaultResource()
      .merge(resources.resourceFromAttributes({ 'service.name': serviceName }))
      .merge(resources.detectResources({ detectors: [resources.envDetector] })),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  tracing.register();
  return () =>
    tracing.shutdown().catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      warn(
        `${serviceName}: the traces could not be sent to ${collector} (${reason}); is the OpenTelemetry collector running?`,
      );
    });
}

/** Flushes the spans not sent yet and stops exporting; a failure goes to `warn`, never thrown. */
export type StopTelemetry = () => Promise<void>;

/**
 * Registers the OpenTelemetry SDK with an OTLP/HTTP exporter when the standard environment names
 * a collector (`OTEL_EXPORTER_OTLP_ENDPOINT`, or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` for traces
 * alone) and `OTEL_SDK_DISABLED` is not `true`: every agent turn the server runs is then exported
 * as spans (the turn, its stages, model calls and tool calls). `OTEL_SERVICE_NAME` (default
 * `lunar-server`), `OTEL_RESOURCE_ATTRIBUTES` and the exporter's own variables apply. Nothing is
 * loaded otherwise. Resolves to what flushes the spans at shutdown.
 */
export async function startTelemetry(
  env: NodeJS.ProcessEnv,
  warn: (line: string) => void,
): Promise<StopTelemetry | undefined> {
  const collector = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!collector || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const { BatchSpanProcessor, NodeTracerProvider } = await import('@opentelemetry/sdk-trace-node');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  const { defaultResource, detectResources, envDetector, resourceFromAttributes } = await import(
    '@opentelemetry/resources'
  );
  const tracing = new NodeTracerProvider({
    resource: defaultResource()
      .merge(resourceFromAttributes({ 'service.name': 'lunar-server' }))
      .merge(detectResources({ detectors: [envDetector] })),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  tracing.register();
  return () =>
    tracing.shutdown().catch((error: unknown) => {
      warn(
        `lunar-server: traces not sent to ${collector}: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
}

/** Flushes the spans not sent yet and stops exporting; a failure is told to `warn`, never thrown. */
export type StopTelemetry = () => Promise<void>;

/**
 * When the standard OpenTelemetry environment asks for it (`OTEL_EXPORTER_OTLP_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, and not `OTEL_SDK_DISABLED=true`), registers the
 * OpenTelemetry SDK with an OTLP/HTTP exporter, so the agent's spans (every turn, stage, model
 * call and tool call) leave the process. `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES` apply;
 * the service name defaults to `lunar`. The SDK is loaded only then. Resolves to the stop.
 */
export async function startTelemetry(
  env: NodeJS.ProcessEnv,
  warn: (line: string) => void,
): Promise<StopTelemetry | undefined> {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  const [{ BatchSpanProcessor, NodeTracerProvider }, { OTLPTraceExporter }, resources] = await Promise.all([
    import('@opentelemetry/sdk-trace-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ 'service.name': 'lunar' }))
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  return async () => {
    try {
      await provider.shutdown();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      warn(
        `lunar: the traces could not be sent to ${endpoint} (${reason}); is the OpenTelemetry collector running?`,
      );
    }
  };
}

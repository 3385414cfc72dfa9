using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using P2POrleans.Common;

namespace P2POrleans.Hosting;

/// <summary>
/// OpenTelemetry wiring for a host (README.md, "Traces and metrics"): the P2POrleans source and meter, a console
/// exporter when asked for, and OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
/// </summary>
public static class P2PTelemetryHosting
{
    public static IServiceCollection AddP2PTelemetry(this IServiceCollection services, string serviceName, bool console)
    {
        var otlp = !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"));
        if (!console && !otlp)
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(P2PTelemetry.Name, "Microsoft.Orleans.Application");
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }

                if (console)
                {
                    tracing.AddProcessor(new OrleansSpanFilter());
                    tracing.AddConsoleExporter();
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(P2PTelemetry.Name);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            });
        return services;
    }
}

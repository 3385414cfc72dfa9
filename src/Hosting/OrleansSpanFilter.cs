using System.Diagnostics;
using OpenTelemetry;
using P2POrleans.Common;

namespace P2POrleans.Hosting;

/// <summary>
/// Orleans' grain-call spans must exist for trace context to cross grain calls, but on the console
/// they would bury the lookups: this processor, placed before the console exporter, unmarks them
/// so only P2POrleans spans are printed. OTLP exports keep them (a trace viewer folds them away).
/// </summary>
public sealed class OrleansSpanFilter : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.Source.Name != P2PTelemetry.Name)
        {
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}

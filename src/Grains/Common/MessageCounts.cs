namespace P2POrleans.Common;

/// <summary>The protocol messages one node has sent, split as the experiments report them: lookups and maintenance.</summary>
public sealed class MessageCounts
{
    public long Lookup { get; set; }

    public long Maintenance { get; set; }

    /// <summary>One more message of this kind (<see cref="P2PTelemetry.LookupKind"/>, anything else is maintenance).</summary>
    public void Count(string kind)
    {
        if (kind == P2PTelemetry.LookupKind)
        {
            Lookup++;
        }
        else
        {
            Maintenance++;
        }
    }
}


namespace P2POrleans.Unstructured.Flooding;

/// <summary>Conversions between the servent's counters and the wire record of message counts.</summary>
public static class CountsOf
{
    public static DescriptorCounts Sent(ServentCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        return new(counters.Sent(PayloadType.Ping), counters.Sent(PayloadType.Pong), counters.Sent(PayloadType.Push),
            counters.Sent(PayloadType.Query), counters.Sent(PayloadType.QueryHit));
    }

    public static DescriptorCounts Received(ServentCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        return new(counters.Received(PayloadType.Ping), counters.Received(PayloadType.Pong), counters.Received(PayloadType.Push),
            counters.Received(PayloadType.Query), counters.Received(PayloadType.QueryHit));
    }

    public static DescriptorCounts One(PayloadType type) => type switch
    {
        PayloadType.Ping => new(1, 0, 0, 0, 0),
        PayloadType.Pong => new(0, 1, 0, 0, 0),
        PayloadType.Push => new(0, 0, 1, 0, 0),
        PayloadType.Query => new(0, 0, 0, 1, 0),
        _ => new(0, 0, 0, 0, 1),
    };
}

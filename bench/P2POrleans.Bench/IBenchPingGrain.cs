namespace P2POrleans.Bench;

/// <summary>A trivial grain: the raw-call baseline.</summary>
public interface IBenchPingGrain : IGrainWithIntegerKey
{
    Task PingAsync();

    /// <summary>Calls PingAsync on `targets` other grains `calls` times with `concurrency` in flight.</summary>
    Task CallManyAsync(int calls, int concurrency, int targets);
}

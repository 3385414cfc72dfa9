namespace P2POrleans.Common;

/// <summary>
/// A trivial grain: the raw-call baseline every throughput ratio is taken against (what one routing
/// hop costs at least). `p2p bench` and the bench project both drive it.
/// </summary>
[Alias("p2p.IBaselineGrain")]
public interface IBaselineGrain : IGrainWithIntegerKey
{
    [Alias("Ping")]
    Task PingAsync();

    /// <summary>Calls PingAsync on <paramref name="targets"/> other grains <paramref name="calls"/> times with <paramref name="concurrency"/> in flight.</summary>
    [Alias("CallMany")]
    Task CallManyAsync(int calls, int concurrency, int targets);

    /// <summary>
    /// Pings the grains with keys <paramref name="firstKey"/> .. firstKey + count - 1, each once, with
    /// <paramref name="concurrency"/> in flight: fresh keys make that many activations of an empty grain.
    /// </summary>
    [Alias("ActivateMany")]
    Task ActivateManyAsync(long firstKey, int count, int concurrency);
}

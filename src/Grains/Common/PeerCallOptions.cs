namespace P2POrleans.Common;

/// <summary>
/// How long a peer waits for another peer's answer to one protocol message before it counts that
/// peer as a dead hop for the operation (docs/architecture.md, peer calls). Bound by the silo host
/// (section "P2P:PeerCalls"); the default suits a local cluster.
/// </summary>
public sealed class PeerCallOptions
{
    public const string Section = "P2P:PeerCalls";

    /// <summary>
    /// The per-call timeout of peer-to-peer messages. A healthy answer takes microseconds in one
    /// process and about a millisecond between silos; the longest seen under full load on a 2-core
    /// machine is well under a second (docs/architecture.md gives the measurement). Without it, a call to a
    /// hung silo waits for Orleans' response timeout (5 minutes here) or until membership declares
    /// the silo dead. A message whose handler makes further calls of its own gets one more timeout
    /// per call it may make (see <see cref="PeerCalls{TPeer}"/>).
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = DefaultCallTimeout;

    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(3);

    /// <summary>One line per problem (empty when valid).</summary>
    public IEnumerable<string> Validate()
    {
        if (CallTimeout < TimeSpan.FromMilliseconds(50) || CallTimeout > TimeSpan.FromMinutes(5))
        {
            yield return $"the peer call timeout must be between 50 ms and 5 minutes (got {CallTimeout.TotalMilliseconds:0} ms)";
        }
    }
}

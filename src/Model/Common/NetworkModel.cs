namespace P2POrleans.Common;

/// <summary>
/// Simulated network distance (docs/architecture.md section 7). Every peer sits at a point of a 1000 x 1000
/// plane derived from (seed, peer id), so any peer can compute the RTT to any other without shared
/// state, and the same seed always gives the same latencies. One-way delay is 1 ms plus 0.1 ms per
/// unit of distance, so RTTs range from 2 ms to about 285 ms, a continental spread.
/// </summary>
public sealed class NetworkModel
{
    public const double PlaneSize = 1000;
    public const double BaseOneWayMs = 1;
    public const double MsPerUnit = 0.1;

    private readonly long _seed;

    public NetworkModel(long seed) => _seed = seed;

    public (double X, double Y) Coordinates(NodeId peer)
    {
        var h1 = SeededRandom.Mix((ulong)_seed ^ peer.StableHash);
        var h2 = SeededRandom.Mix(h1);
        return (ToUnit(h1) * PlaneSize, ToUnit(h2) * PlaneSize);
    }

    /// <summary>Round-trip time in milliseconds; zero to oneself.</summary>
    public double Rtt(NodeId a, NodeId b)
    {
        if (a == b)
        {
            return 0;
        }

        var (ax, ay) = Coordinates(a);
        var (bx, by) = Coordinates(b);
        var distance = Math.Sqrt(((ax - bx) * (ax - bx)) + ((ay - by) * (ay - by)));
        return 2 * (BaseOneWayMs + (distance * MsPerUnit));
    }

    private static double ToUnit(ulong h) => (h >> 11) * (1.0 / (1UL << 53));
}

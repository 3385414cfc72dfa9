using P2POrleans.BitTorrent.Torrent;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// How many block requests to keep outstanding at one peer: a bandwidth-delay product (BEP 3
/// pipelines requests so the link never idles for a round trip).
/// </summary>
public static class RequestPipeline
{
    public const int MinDepth = 4;
    public const int MaxDepth = 256;

    /// <param name="downloadCapacity">Our download capacity, bytes/s (infinity for none): no pipeline needs more than it covers.</param>
    /// <param name="latencySeconds">From sending a request to its block arriving.</param>
    /// <param name="rate">The rate expected from this peer, bytes/s.</param>
    public static int Depth(double downloadCapacity, double latencySeconds, double rate)
    {
        // Clamped as doubles: an unlimited capacity (infinity) must not overflow an int.
        var cap = Math.Clamp(Math.Ceiling(downloadCapacity * latencySeconds / PieceLayout.BlockLength), MinDepth, MaxDepth);
        return (int)Math.Clamp(Math.Ceiling(rate * latencySeconds / PieceLayout.BlockLength) + 2, MinDepth, cap);
    }
}

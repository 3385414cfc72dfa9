namespace P2POrleans.BitTorrent.Swarm;

/// <summary>
/// What a member assumes about its link: upload and download capacity (bytes/s, infinity for none),
/// the time from sending a request to its block arriving (before the round trip), and the least
/// rate a request pipeline is sized for.
/// </summary>
public sealed record LinkModel(double UploadCapacity, double DownloadCapacity, double RequestLatencySeconds, double MinRequestRate)
{
    /// <summary>
    /// The simulated link: the swarm's capacities; a request sent in tick t is answered in the peer's
    /// tick t + 1 and arrives in t + 2 (two ticks); pipelines cover at least an upload slot's fair share
    /// (capacity / slots) at twice the rate, so the tick latency of the model never starves a link.
    /// </summary>
    public static LinkModel Simulated(SwarmParameters parameters) =>
        new(parameters.UploadRate, parameters.DownloadRate, 2 * parameters.TickSeconds, 2.0 * parameters.UploadRate / parameters.UploadSlots);

    /// <summary>
    /// A real TCP link on loopback: no capacity limit (TCP's flow control is the limit); a request is
    /// answered as soon as the peer reads it, so the latency is what a grain turn and a socket write add
    /// (100 ms is generous); pipelines start at 8 MiB/s worth of requests and grow with the measured rate.
    /// </summary>
    public static LinkModel Wire { get; } = new(double.PositiveInfinity, double.PositiveInfinity, 0.1, 8 << 20);
}

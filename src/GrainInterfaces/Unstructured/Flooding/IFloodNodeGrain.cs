
namespace P2POrleans.Unstructured.Flooding;

/// <summary>
/// A peer that takes part in Gnutella-style floods (a Gnutella servent, a FastTrack supernode).
/// Neighbours send each other encoded descriptors with <see cref="EnqueueAsync"/>; the flood's
/// originator drives the rounds with <see cref="RunRoundAsync"/>.
/// </summary>
public interface IFloodNodeGrain : IGrainWithStringKey
{
    /// <summary>Descriptors from neighbour <paramref name="from"/>, to be handled in round <paramref name="round"/> of the flood.</summary>
    Task EnqueueAsync(Guid flood, int round, PeerEndpoint from, IReadOnlyList<WireMessage> messages);

    /// <summary>Decodes and handles what arrived for this round, sends what the routing rules say.</summary>
    Task<FloodRoundReport> RunRoundAsync(FloodRound round);
}

using P2POrleans.BitTorrent.Messages;

namespace P2POrleans.BitTorrent.Swarm;

/// <summary>What one tick of a <see cref="SwarmMember"/> produced: the messages to send, per peer, and its accounting.</summary>
public sealed record SwarmTickResult(
    IReadOnlyList<(PeerId To, IReadOnlyList<PeerMessage> Messages)> Outgoing,
    IReadOnlyList<int> PiecesVerified,
    long BytesUp,
    long BytesDown,
    bool CompletedNow);

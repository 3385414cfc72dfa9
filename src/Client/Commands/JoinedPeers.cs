using P2POrleans.Common;

namespace P2POrleans.Client.Commands;

/// <summary>What a `join` did: the peers that joined the overlay, its members after and whether the build was converged.</summary>
public sealed record JoinedPeers(string Overlay, IReadOnlyList<NodeId> Peers, int Members, bool Converged);

namespace P2POrleans.BitTorrent.Choking;

/// <summary>
/// The choker's answer: the peers unchoked now (regular ones and the optimistic one), and the
/// choke/unchoke messages to send — the difference from the previous decision.
/// </summary>
/// <param name="Rechoked">False when nothing was due and nothing changed.</param>
/// <param name="OptimisticRotated">True when a new optimistic unchoke was drawn.</param>
public sealed record ChokeDecision(
    IReadOnlySet<PeerId> Unchoked,
    IReadOnlyList<PeerId> Regular,
    PeerId? Optimistic,
    IReadOnlyList<PeerId> ToChoke,
    IReadOnlyList<PeerId> ToUnchoke,
    bool Rechoked,
    bool OptimisticRotated);

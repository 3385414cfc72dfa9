namespace P2POrleans.BitTorrent.Storage;

/// <summary>
/// The result of <see cref="PieceStore.AddBlock"/>. On <see cref="BlockOutcome.PieceFailed"/>,
/// <see cref="Contributors"/> are the distinct peers that sent blocks of the bad piece, so the
/// caller can count hash failures per peer and ban repeat offenders.
/// </summary>
public sealed record BlockResult(BlockOutcome Outcome, int Piece, IReadOnlyList<PeerId> Contributors)
{
    public bool CompletedPiece => Outcome == BlockOutcome.PieceVerified;
}

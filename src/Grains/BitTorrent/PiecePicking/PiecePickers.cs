namespace P2POrleans.BitTorrent.PiecePicking;

/// <summary>Builds the standard picker chains from the decorators.</summary>
public static class PiecePickers
{
    public static IPiecePicker Create(PiecePolicy policy, PieceRequests requests, Availability availability, Random random, int randomFirstPieces = 1)
    {
        IPiecePicker core = policy switch
        {
            PiecePolicy.RarestFirst => new RandomFirstPicker(
                new RarestFirstPicker(new RandomisedPicker(new StandardPicker(requests), random), availability),
                new RandomisedPicker(new StandardPicker(requests), random),
                requests.Have,
                randomFirstPieces),
            PiecePolicy.Random => new RandomisedPicker(new StandardPicker(requests), random),
            PiecePolicy.Sequential => new StandardPicker(requests),
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
        };
        return new EndgamePicker(new StrictPriorityPicker(core, requests), requests);
    }
}

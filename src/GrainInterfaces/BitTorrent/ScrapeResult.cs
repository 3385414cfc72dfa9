namespace P2POrleans.BitTorrent;

/// <summary>A tracker scrape (BEP 48 names): seeds, leechers, and completed downloads so far.</summary>
[GenerateSerializer, Immutable, Alias("p2p.bt.ScrapeResult")]
public sealed record ScrapeResult(
    [property: Id(0)] string InfoHash,
    [property: Id(1)] int Complete,
    [property: Id(2)] int Incomplete,
    [property: Id(3)] int Downloaded);

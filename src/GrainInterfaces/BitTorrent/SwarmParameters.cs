using P2POrleans.Common;

namespace P2POrleans.BitTorrent;

/// <summary>
/// A BitTorrent swarm (Cohen 2003; BEP 3): one torrent, its tracker and its members, on simulated
/// time — every tick advances <see cref="TickSeconds"/> with a bandwidth model (docs/bittorrent.md).
/// Registry membership = the swarm's live members.
/// </summary>
[GenerateSerializer, Alias("p2p.bt.SwarmParameters")]
public sealed record SwarmParameters : OverlayParameters
{
    public const string Name = "swarm";
    public const long MaxFileSize = 1L << 30;

    public override string Protocol => Name;

    /// <summary>Leechers (free riders and corrupters included).</summary>
    [Id(0)] public int Peers { get; init; } = 50;

    [Id(1)] public int Seeds { get; init; } = 1;

    /// <summary>Bytes of the file (generated from the seed unless <see cref="FromFile"/>).</summary>
    [Id(2)] public long FileSize { get; init; } = 16L << 20;

    /// <summary>True: the content was staged from a real file by the client.</summary>
    [Id(3)] public bool FromFile { get; init; }

    /// <summary>The name in the torrent's info dictionary.</summary>
    [Id(4)] public string FileName { get; init; } = "generated.bin";

    [Id(5)] public int PieceLength { get; init; } = 256 * 1024;

    /// <summary>Fraction of the leechers that never upload.</summary>
    [Id(6)] public double FreeRiderFraction { get; init; }

    /// <summary>Leechers that corrupt every block they upload.</summary>
    [Id(7)] public int Corrupters { get; init; }

    [Id(8)] public PiecePolicy Policy { get; init; } = PiecePolicy.RarestFirst;

    /// <summary>False: every interested peer is unchoked (no tit for tat).</summary>
    [Id(9)] public bool Choking { get; init; } = true;

    /// <summary>Upload capacity of every member, bytes per simulated second.</summary>
    [Id(10)] public long UploadRate { get; init; } = 1L << 20;

    /// <summary>Download capacity of every member, bytes per simulated second.</summary>
    [Id(11)] public long DownloadRate { get; init; } = 4L << 20;

    /// <summary>Leechers leave as soon as they complete (otherwise they stay as seeds).</summary>
    [Id(12)] public bool LeaveAfterComplete { get; init; }

    [Id(13)] public ArrivalPattern Arrival { get; init; } = ArrivalPattern.FlashCrowd;

    /// <summary>Seconds between two arrivals when staggered.</summary>
    [Id(14)] public double ArrivalIntervalSeconds { get; init; } = 10;

    /// <summary>Simulated seconds per tick.</summary>
    [Id(15)] public double TickSeconds { get; init; } = 1;

    /// <summary>Concurrent uploads, the optimistic one included (Cohen 2003: 4 + 1).</summary>
    [Id(16)] public int UploadSlots { get; init; } = 5;

    /// <summary>Peers a tracker returns per announce (BEP 3 default 50).</summary>
    [Id(17)] public int NumWant { get; init; } = 50;

    /// <summary>Connections a member keeps at most (mainline: 80; 40 here halves the messages of a 100-peer swarm).</summary>
    [Id(18)] public int MaxConnections { get; init; } = 40;

    /// <summary>Failed pieces a peer may contribute to before it is banned.</summary>
    [Id(19)] public int BanThreshold { get; init; } = 3;

    /// <summary>All members of a silo keep verified pieces in one store (the bytes are identical after SHA-1).</summary>
    [Id(20)] public bool SharedStorage { get; init; } = true;

    /// <summary>Pieces picked at random before rarest first starts (Cohen 2003: 1; mainline: 4).</summary>
    [Id(21)] public int RandomFirstPieces { get; init; } = 1;

    /// <summary>True: the swarm joined a torrent made elsewhere (a .torrent file): no content and no seed of its own; it runs only on the wire.</summary>
    [Id(22)] public bool FromTorrent { get; init; }

    /// <summary>Port of the HTTP tracker on 127.0.0.1 the .torrent announces to; 0: the simulated tracker.</summary>
    [Id(23)] public int TrackerPort { get; init; }

    public override int IdBits => NodeId.MaxBits;

    public int FreeRiders => (int)Math.Round(FreeRiderFraction * Peers, MidpointRounding.AwayFromZero);

    public override IEnumerable<string> Validate()
    {
        foreach (var problem in base.Validate())
        {
            yield return problem;
        }

        if (Peers is < 0 or > 10_000)
        {
            yield return $"peers must be between 0 and 10,000 (got {Peers})";
        }

        if (FromTorrent ? Seeds != 0 : Seeds is < 1 or > 100)
        {
            yield return FromTorrent
                ? $"a swarm joining a torrent made elsewhere has no seed of its own (got {Seeds} seeds)"
                : $"seeds must be between 1 and 100 (got {Seeds})";
        }

        if (FileSize < 1 || FileSize > MaxFileSize)
        {
            yield return $"file size must be between 1 byte and 1 GiB (got {FileSize} bytes)";
        }

        if (FromTorrent)
        {
            // Other tools choose the piece length; any whole number of 16 KiB blocks up to 16 MiB works here.
            if (PieceLength is < 16 * 1024 or > 16 * 1024 * 1024 || PieceLength % (16 * 1024) != 0)
            {
                yield return $"the torrent's piece length must be a multiple of 16 KiB up to 16 MiB (got {PieceLength} bytes)";
            }
        }
        else if (PieceLength is < 32 * 1024 or > 4 * 1024 * 1024 || (PieceLength & (PieceLength - 1)) != 0)
        {
            yield return $"piece length must be a power of two between 32 KiB and 4 MiB (got {PieceLength} bytes)";
        }

        if (TrackerPort is < 0 or > 65535)
        {
            yield return $"the tracker port must be between 1 and 65535 (got {TrackerPort})";
        }

        if (double.IsNaN(FreeRiderFraction) || FreeRiderFraction is < 0 or > 1)
        {
            yield return $"free riders must be between 0% and 100% (got {FreeRiderFraction:P0})";
        }

        if (Corrupters < 0 || Corrupters + FreeRiders > Peers)
        {
            yield return $"corrupters must be between 0 and the peers that are not free riders (got {Corrupters})";
        }

        if (UploadRate is < 16 * 1024 or > 1L << 30 || DownloadRate is < 16 * 1024 or > 1L << 30)
        {
            yield return "upload and download capacities must be between 16 KiB/s and 1 GiB/s";
        }

        if (double.IsNaN(ArrivalIntervalSeconds) || ArrivalIntervalSeconds is < 0 or > 3600)
        {
            yield return $"arrival interval must be between 0 and 3600 s (got {ArrivalIntervalSeconds})";
        }

        if (double.IsNaN(TickSeconds) || TickSeconds is < 0.1 or > 60)
        {
            yield return $"tick must be between 0.1 and 60 simulated seconds (got {TickSeconds})";
        }

        if (UploadSlots is < 1 or > 50)
        {
            yield return $"upload slots must be between 1 and 50 (got {UploadSlots})";
        }

        if (NumWant is < 1 or > 200 || MaxConnections is < 1 or > 1000)
        {
            yield return "numwant must be between 1 and 200 and max connections between 1 and 1000";
        }

        if (BanThreshold is < 1 or > 100 || RandomFirstPieces is < 0 or > 100)
        {
            yield return "ban threshold must be between 1 and 100 and random-first pieces between 0 and 100";
        }

        if (string.IsNullOrWhiteSpace(FileName))
        {
            yield return "the file name must not be empty";
        }
    }
}

using P2POrleans.Common;

namespace P2POrleans.Unstructured;

/// <summary>
/// What Napster, Gnutella and FastTrack overlays share, so the three can run on the same peers,
/// links and files: the same seed and these values give the same topology and libraries.
/// </summary>
[GenerateSerializer, Alias("p2p.unstructured.UnstructuredParameters")]
public abstract record UnstructuredParameters : OverlayParameters
{
    [Id(0)] public TopologyKind Topology { get; init; } = TopologyKind.Random;

    /// <summary>Peers of a random or power-law topology (a tree's size follows from its depth, an edge list's from its largest id).</summary>
    [Id(1)] public int Peers { get; init; } = 100;

    /// <summary>Random: the degree of every peer; power law: twice the links each newcomer makes (mean degree).</summary>
    [Id(2)] public int Degree { get; init; } = 4;

    [Id(3)] public int Depth { get; init; } = 4;

    /// <summary>The text of an edge list ("a b" per line), for <see cref="TopologyKind.Edges"/>.</summary>
    [Id(4)] public string? EdgeList { get; init; }

    /// <summary>Fraction of peers that share nothing (Adar and Huberman 2000 measured about 70%).</summary>
    [Id(5)] public double FreeRiders { get; init; } = 0.5;

    [Id(6)] public int FilesPerPeer { get; init; } = 10;

    /// <summary>Distinct titles the files are drawn from (Zipf popularity).</summary>
    [Id(7)] public int Titles { get; init; } = 200;

    /// <summary>TTL of the queries a peer originates.</summary>
    [Id(8)] public int Ttl { get; init; } = 7;

    /// <summary>Incoming TTLs above this are clamped (abuse guard).</summary>
    [Id(9)] public int MaxTtl { get; init; } = 7;

    [Id(10)] public bool PongCaching { get; init; }

    [Id(11)] public bool QueryCaching { get; init; }

    /// <summary>Fraction of peers behind a firewall (they cannot accept connections: downloads need a Push).</summary>
    [Id(12)] public double Firewalled { get; init; }

    /// <summary>Simulated seconds per round of the stepped clock (the time caches and reputation see).</summary>
    [Id(13)] public int RoundSeconds { get; init; } = 10;

    /// <summary>Peers are numbered 0..N-1; their ids are those numbers in a 32-bit space.</summary>
    public override int IdBits => 32;

    public override IEnumerable<string> Validate() => base.Validate().Concat(ParameterRange.Problems(
        Enum.IsDefined(Topology) ? null : $"topology must be tree, random, powerlaw or edges (got {Topology})",
        Topology is TopologyKind.Random or TopologyKind.PowerLaw ? ParameterRange.Check("peers", Peers, 2, 200_000) : null,
        Topology == TopologyKind.Random && (Degree < 1 || Degree >= Peers || (Peers * Degree) % 2 != 0)
            ? $"a random regular graph needs 1 <= degree < peers and peers * degree even (got {Peers} peers, degree {Degree})"
            : null,
        Topology == TopologyKind.PowerLaw && (Degree < 2 || Degree / 2 >= Peers)
            ? $"a power-law graph needs degree >= 2 (mean degree; each newcomer makes degree / 2 links) and fewer than 2 * peers (got {Degree})"
            : null,
        Topology == TopologyKind.Tree ? ParameterRange.Check("depth", Depth, 0, 9) : null,
        Topology == TopologyKind.Edges && string.IsNullOrWhiteSpace(EdgeList) ? "an edges topology needs the edge list" : null,
        FreeRiders is < 0 or > 1 || double.IsNaN(FreeRiders) ? $"free-riders must be a fraction between 0 and 1 (got {FreeRiders})" : null,
        Firewalled is < 0 or > 1 || double.IsNaN(Firewalled) ? $"firewalled must be a fraction between 0 and 1 (got {Firewalled})" : null,
        FilesPerPeer is < 0 or > 1000 ? $"files per peer must be between 0 and 1000 (got {FilesPerPeer})" : null,
        ParameterRange.Check("titles", Titles, 1, 1_000_000),
        ParameterRange.Check("max TTL", MaxTtl, 1, 255),
        Ttl < 1 || Ttl > MaxTtl ? $"TTL must be between 1 and the max TTL {MaxTtl} (got {Ttl})" : null,
        RoundSeconds is < 1 or > 86_400 ? $"round must be between 1 s and 1 day (got {RoundSeconds} s)" : null));
}

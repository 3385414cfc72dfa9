using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>
/// Kelips overlay parameters (Gupta et al., IPTPS 2003), fixed at creation. k defaults to
/// ceil(sqrt(expected peers)) (section 2); times are in rounds of the clock (stepped rounds, or
/// live periods).
/// </summary>
[GenerateSerializer, Alias("p2p.kelips.KelipsParameters")]
public sealed record KelipsParameters : OverlayParameters
{
    public const string Name = "kelips";

    public override string Protocol => Name;

    /// <summary>Expected population N; k = ceil(sqrt(N)) unless <see cref="Groups"/> is given.</summary>
    [Id(0)] public int ExpectedPeers { get; init; } = 100;

    /// <summary>k, the number of affinity groups; 0 = ceil(sqrt(ExpectedPeers)).</summary>
    [Id(1)] public int Groups { get; init; }

    /// <summary>c, contacts kept per foreign affinity group (section 2: "a small constant", 2).</summary>
    [Id(2)] public int Contacts { get; init; } = 2;

    /// <summary>Gossip targets per round (section 2.1).</summary>
    [Id(3)] public int Fanout { get; init; } = 3;

    /// <summary>Rounds without a heartbeat increase before a group member is dropped.</summary>
    [Id(4)] public int MemberTimeoutRounds { get; init; } = 40;

    /// <summary>
    /// Rounds without a heartbeat increase before a contact is dropped; 0 = grown with k and c
    /// (at least 80; docs/kelips.md, "Timeouts").
    /// </summary>
    [Id(5)] public int ContactTimeoutRounds { get; init; }

    /// <summary>Rounds before a filetuple that is not refreshed is dropped; 0 = grown with the expected files per group.</summary>
    [Id(6)] public int FileTupleTimeoutRounds { get; init; }

    /// <summary>Expected files in the whole overlay (sizes the automatic filetuple timeout).</summary>
    [Id(7)] public int ExpectedFiles { get; init; } = 1000;

    /// <summary>m: peer ids are SHA-1 of the address truncated to m bits (32 or less prints decimal ids).</summary>
    [Id(8)] public int Bits { get; init; } = 160;

    /// <summary>
    /// Durable peers: each peer persists its membership, hosted files and backup copies
    /// with grain storage, so a silo crash relocates it with its files instead of losing them
    /// (docs/kelips.md, "Durable peers and replica placement").
    /// </summary>
    [Id(9)] public bool Durable { get; init; }

    /// <summary>
    /// Copies of each file: the home node plus Replicas - 1 backups at members of the home's own
    /// affinity group, which adopt the file when the home times out. 1 = the paper's single home node.
    /// </summary>
    [Id(10)] public int Replicas { get; init; } = 1;

    /// <summary>Replica placement awareness: the backups go to group mates on silos holding no copy yet.</summary>
    [Id(11)] public bool SpreadReplicas { get; init; }

    /// <summary>
    /// Rounds without a heartbeat increase after which a contact is suspect and a fresher candidate
    /// replaces it even when farther (docs/kelips.md, "Suspect contacts"); 0 = never (the paper's
    /// lowest-RTT contacts, dropped only at the contact timeout or when a call fails).
    /// </summary>
    [Id(12)] public int ContactSuspectRounds { get; init; }

    /// <summary>
    /// Peers ticked at once in a stepped round (1 = one after another, deterministic; more = faster
    /// rounds whose message order within a round varies, for runs that do not need the same bytes
    /// for the same seed).
    /// </summary>
    [Id(13)] public int ParallelTicks { get; init; } = 1;

    public override bool IsDurable => Durable;

    public override int TicksInParallel => ParallelTicks;

    public override int IdBits => Bits;

    /// <summary>Expected members of one affinity group, ceil(N / k): the most copies a home's group can hold.</summary>
    public int ExpectedGroupSize => (int)Math.Max(1, ((long)ExpectedPeers + GroupCount - 1) / GroupCount);

    /// <summary>k as fixed at creation.</summary>
    public int GroupCount => Groups > 0 ? Groups : DefaultGroupCount(ExpectedPeers);

    /// <summary>ceil(sqrt(n)) (section 2: the k that balances view and contact memory).</summary>
    public static int DefaultGroupCount(int expectedPeers)
    {
        var k = (int)Math.Sqrt(Math.Max(1, expectedPeers));
        while ((long)k * k < expectedPeers)
        {
            k++;
        }

        return Math.Max(1, k);
    }

    public override IEnumerable<string> Validate() => base.Validate().Concat(ParameterRange.Problems(
        ParameterRange.Check("expected peers", ExpectedPeers, 1, 100_000_000),
        ParameterRange.Check("groups", Groups, 1, 100_000, zero: "for ceil(sqrt(expected))"),
        ParameterRange.Check("contacts", Contacts, 1, 64),
        ParameterRange.Check("fanout", Fanout, 1, 64),
        ParameterRange.Check("member timeout", MemberTimeoutRounds, 2, 1_000_000, " rounds"),
        ParameterRange.Check("contact timeout", ContactTimeoutRounds, 2, 1_000_000, " rounds", "for automatic"),
        ParameterRange.Check("contact suspect time", ContactSuspectRounds, 1, 1_000_000, " rounds", "for never"),
        ParameterRange.Check("parallel ticks", ParallelTicks, 1, 4096),
        ParameterRange.Check("filetuple timeout", FileTupleTimeoutRounds, 1, 10_000_000, " rounds", "for automatic"),
        ParameterRange.Check("expected files", ExpectedFiles, 0, 1_000_000_000),
        Replicas < 1 || Replicas > ExpectedGroupSize ? $"replicas must be between 1 and the expected group size ceil(N/k) = {ExpectedGroupSize} (got {Replicas})" : null,
        ParameterRange.Check("bits", Bits, 8, NodeId.MaxBits)));
}

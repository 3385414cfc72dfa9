using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>Chord overlay parameters (Stoica et al. 2001; ToN 2003).</summary>
[GenerateSerializer, Alias("p2p.chord.ChordParameters")]
public sealed record ChordParameters : OverlayParameters
{
    public const string Name = "chord";

    public override string Protocol => Name;

    /// <summary>m: ids live on a ring of 2^m points (160 = full SHA-1).</summary>
    [Id(0)] public int Bits { get; init; } = 160;

    /// <summary>r: length of the successor list (section 5.2 of the ToN paper suggests O(log N)).</summary>
    [Id(1)] public int Successors { get; init; } = 8;

    /// <summary>Copies of every key: the owner plus Replicas - 1 successors.</summary>
    [Id(2)] public int Replicas { get; init; } = 3;

    /// <summary>Virtual nodes per simulated host (section 6.2, load balance).</summary>
    [Id(3)] public int VirtualNodes { get; init; } = 1;

    [Id(4)] public ChordMode Mode { get; init; } = ChordMode.Iterative;

    /// <summary>
    /// Durable peers (docs/durability.md): each peer persists its ring state and keys with grain storage, so a
    /// silo crash relocates it with its state instead of losing it (docs/durability.md).
    /// </summary>
    [Id(5)] public bool Durable { get; init; }

    /// <summary>Replica placement awareness: the Replicas - 1 copies go to successors on silos holding no copy yet.</summary>
    [Id(6)] public bool SpreadReplicas { get; init; }

    /// <summary>
    /// Peers the registry ticks at once in a stepped round (1: one after another in id order, the
    /// deterministic default). Every node runs its periodic rules independently in the paper (Chord
    /// figure 7), so batches keep the protocol; `p2p bench` uses them for a large joined ring.
    /// </summary>
    [Id(7)] public int ParallelTicks { get; init; } = 1;

    public override bool IsDurable => Durable;

    public override int TicksInParallel => ParallelTicks;

    public override int IdBits => Bits;

    public override IEnumerable<string> Validate() => base.Validate().Concat(ParameterRange.Problems(
        ParameterRange.Check("bits", Bits, 1, NodeId.MaxBits),
        ParameterRange.Check("successors", Successors, 1, 64),
        Replicas < 1 || Replicas > Successors + 1 ? $"replicas must be between 1 and successors + 1 = {Successors + 1} (got {Replicas})" : null,
        ParameterRange.Check("vnodes", VirtualNodes, 1, 64),
        Enum.IsDefined(Mode) ? null : $"mode must be iterative or recursive (got {Mode})",
        ParameterRange.Check("parallel ticks", ParallelTicks, 1, 4096)));
}

using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.FastTrack;

/// <summary>FastTrack overlay parameters: the shared peers and files, reputation and the supernode overlay.</summary>
[GenerateSerializer, Alias("p2p.fasttrack.FastTrackParameters")]
public sealed record FastTrackParameters : UnstructuredParameters
{
    public const string Name = "fasttrack";

    public FastTrackParameters()
    {
        RoundSeconds = 900; // one round is 15 simulated minutes: reputation grows with hours connected
        Ttl = 3;
    }

    public override string Protocol => Name;

    /// <summary>Reputation at which an ordinary peer is promoted to supernode.</summary>
    [Id(0)] public double SupernodeThreshold { get; init; } = 4.0;

    /// <summary>Reputation under which a supernode is demoted (hysteresis).</summary>
    [Id(1)] public double DemotionThreshold { get; init; } = 2.0;

    /// <summary>Links each supernode opens to other supernodes.</summary>
    [Id(2)] public int SupernodeDegree { get; init; } = 3;

    [Id(3)] public int MaxChildren { get; init; } = 200;

    /// <summary>Mean of the (exponential) time peers have been connected when the overlay is created.</summary>
    [Id(4)] public double MeanUptimeHours { get; init; } = 1.5;

    public override IEnumerable<string> Validate() => base.Validate().Concat(ParameterRange.Problems(
        SupernodeThreshold is <= 0 or > 1_000_000 || double.IsNaN(SupernodeThreshold) ? $"supernode threshold must be positive (got {SupernodeThreshold})" : null,
        DemotionThreshold < 0 || DemotionThreshold > SupernodeThreshold ? $"demotion threshold must be between 0 and the supernode threshold {SupernodeThreshold} (got {DemotionThreshold})" : null,
        ParameterRange.Check("supernode degree", SupernodeDegree, 1, 64),
        ParameterRange.Check("max children", MaxChildren, 1, 100_000),
        MeanUptimeHours is < 0 or > 1000 || double.IsNaN(MeanUptimeHours) ? $"mean uptime must be between 0 and 1000 hours (got {MeanUptimeHours})" : null));
}

using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Napster;

/// <summary>Napster overlay parameters: the shared peers and files, and the introducer's list.</summary>
[GenerateSerializer, Alias("p2p.napster.NapsterParameters")]
public sealed record NapsterParameters : UnstructuredParameters
{
    public const string Name = "napster";

    public override string Protocol => Name;

    /// <summary>Recently joined peers the introducer remembers.</summary>
    [Id(0)] public int IntroducerCapacity { get; init; } = 64;

    /// <summary>Peers the introducer hands a newcomer.</summary>
    [Id(1)] public int Introductions { get; init; } = 3;

    public override IEnumerable<string> Validate() => base.Validate().Concat(ParameterRange.Problems(
        ParameterRange.Check("introducer capacity", IntroducerCapacity, 1, 100_000),
        ParameterRange.Check("introductions", Introductions, 0, 64)));
}

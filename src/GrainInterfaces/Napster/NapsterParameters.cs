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

    public override IEnumerable<string> Validate()
    {
        foreach (var problem in base.Validate())
        {
            yield return problem;
        }

        if (IntroducerCapacity is < 1 or > 100_000)
        {
            yield return $"introducer capacity must be between 1 and 100,000 (got {IntroducerCapacity})";
        }

        if (Introductions is < 0 or > 64)
        {
            yield return $"introductions must be between 0 and 64 (got {Introductions})";
        }
    }
}

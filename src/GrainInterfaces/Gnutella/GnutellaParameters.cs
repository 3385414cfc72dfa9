using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Gnutella;

/// <summary>Gnutella 0.4 overlay parameters (the shared peers/files/TTL/caching values of <see cref="UnstructuredParameters"/>).</summary>
[GenerateSerializer, Alias("p2p.gnutella.GnutellaParameters")]
public sealed record GnutellaParameters : UnstructuredParameters
{
    public const string Name = "gnutella";

    public override string Protocol => Name;

    /// <summary>Links a peer that joins later opens to random members (host cache).</summary>
    [Id(0)] public int Connections { get; init; } = 3;

    public override IEnumerable<string> Validate() => base.Validate().Concat(ParameterRange.Problems(
        ParameterRange.Check("connections", Connections, 1, 64)));
}


namespace P2POrleans.Unstructured;

/// <summary>
/// A search followed by a download: the hosts probed, the one chosen, how the transfer started
/// (direct, or a Push through the overlay with its path) and the simulated time it took.
/// </summary>
[GenerateSerializer, Immutable, Alias("p2p.unstructured.FetchOutcome")]
public sealed record FetchOutcome(
    [property: Id(0)] QueryOutcome Search,
    [property: Id(1)] IReadOnlyList<ProbedHost> Probed,
    [property: Id(2)] FoundFile? Chosen,
    [property: Id(3)] string Route,
    [property: Id(4)] IReadOnlyList<int> PushPath,
    [property: Id(5)] long Bytes,
    [property: Id(6)] double EstimatedMs,
    [property: Id(7)] string? Error)
{
    public bool Success => Error is null && Chosen is not null;
}

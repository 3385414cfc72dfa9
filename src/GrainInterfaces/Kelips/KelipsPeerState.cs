using P2POrleans.Common;

namespace P2POrleans.Kelips;

/// <summary>A snapshot of one peer's soft state and counters, for `view` and experiments; Silo and the backups it holds for `check` and tests.</summary>
[GenerateSerializer, Immutable, Alias("p2p.kelips.KelipsPeerState")]
public sealed record KelipsPeerState(
    [property: Id(0)] NodeId Id,
    [property: Id(1)] string Address,
    [property: Id(2)] int Group,
    [property: Id(3)] long Round,
    [property: Id(4)] IReadOnlyList<KelipsEntryInfo> View,
    [property: Id(5)] IReadOnlyList<KelipsEntryInfo> Contacts,
    [property: Id(6)] IReadOnlyList<FileTuple> FileTuples,
    [property: Id(7)] IReadOnlyList<string> HostedFiles,
    [property: Id(8)] KelipsPeerCounters Counters,
    [property: Id(9)] string? Silo = null,
    [property: Id(10)] IReadOnlyList<string>? Backups = null);

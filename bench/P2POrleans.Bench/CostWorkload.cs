using P2POrleans.Common;

namespace P2POrleans.Bench;

/// <summary>How the durability cost run drives one protocol: its parameters, joins, puts and lookups.</summary>
/// <param name="Protocol">The protocol's name.</param>
/// <param name="Lookups">How many lookups to time.</param>
/// <param name="Parameters">The overlay's parameters, volatile or durable.</param>
/// <param name="JoinAsync">Joins n peers through the protocol.</param>
/// <param name="PutAsync">Stores one key (Kelips: inserts one file) at a peer.</param>
/// <param name="SettleAsync">Untimed, between the puts and the lookups: what the protocol needs before its lookups can find the puts.</param>
/// <param name="LookupAsync">The i-th lookup from a peer: whether it succeeded (Kelips: and fetched the file).</param>
public sealed record CostWorkload(
    string Protocol,
    int Lookups,
    Func<bool, OverlayParameters> Parameters,
    Func<IClusterClient, string, int, Task> JoinAsync,
    Func<IClusterClient, string, NodeId, string, Task> PutAsync,
    Func<IClusterClient, string, Task> SettleAsync,
    Func<IClusterClient, string, NodeId, int, Task<bool>> LookupAsync);

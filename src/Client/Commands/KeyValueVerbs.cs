using P2POrleans.Common;

namespace P2POrleans.Client.Commands;

/// <summary>
/// What the shared key-value verbs (<see cref="StructuredCommands"/>: lookup, put, get) need from a
/// distributed hash table (Chord, Pastry): its descriptions and how its lookups and copies look.
/// </summary>
/// <param name="StoredId">How a peer holding a copy is shown after a put.</param>
/// <param name="StoredOrder">Which holder a put lists first, in words ("owner first").</param>
/// <param name="NotFoundAt">The end of "key 'k' not found…" given the owner the lookup found.</param>
public sealed record KeyValueVerbs<TParameters>(
    string KeyDescription,
    string LookupDescription,
    string PutDescription,
    string GetDescription,
    Func<TParameters, NodeId, string> StoredId,
    string StoredOrder,
    Func<string, string> NotFoundAt,
    Func<TParameters, LookupResult, string?, object> LookupJson,
    Action<CliSession, TParameters, LookupResult, string?> WriteLookup)
    where TParameters : OverlayParameters;

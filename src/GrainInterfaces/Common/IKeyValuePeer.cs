namespace P2POrleans.Common;

/// <summary>
/// A member peer of a distributed hash table (Chord, Pastry): traced lookups of a key id, put and get
/// of key-value pairs. What the console's shared `lookup`, `put` and `get` commands, the web page and
/// `p2p soak` need of such a peer grain (docs/architecture.md).
/// </summary>
public interface IKeyValuePeer : IMemberPeer
{
    /// <summary>Finds the key's owner, traced hop by hop; <paramref name="keyText"/> only labels the trace.</summary>
    Task<LookupResult> LookupAsync(NodeId key, string? keyText);

    Task<PutResult> PutAsync(string key, string value);

    Task<GetResult> GetAsync(string key);
}

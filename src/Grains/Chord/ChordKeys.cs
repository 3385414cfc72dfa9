using P2POrleans.Common;

namespace P2POrleans.Chord;

/// <summary>
/// put and get of a key from any node (docs/chord.md, keys): look the key's owner up, then the owner
/// stores it and writes its replicas before it answers; a get reads the owner first and, while a
/// failure is not yet repaired, the next successors that hold copies.
/// </summary>
public static class ChordKeys
{
    /// <summary>Stores a key at its owner; <paramref name="local"/> is this node's own peer (its grain), which stores a key it owns itself.</summary>
    public static async Task<PutResult> PutAsync(ChordNode node, IChordPeer local, string overlay, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(local);
        var keyId = node.Space.Hash(key);
        var lookup = await ChordLookup.LookupAsync(node, overlay, keyId, key);
        if (!lookup.Success)
        {
            return new PutResult([], lookup);
        }

        // A durable owner whose silo did not answer comes back with the key: a put stored at the next
        // live successor instead would be shadowed by the owner's older copy when it returns.
        if (node.Parameters.IsDurable && lookup.OwnersUnanswered > 0)
        {
            throw new P2PException($"'{key}' is unavailable: its owner did not answer (its silo may be down; a durable peer comes back), nothing was stored");
        }

        var item = new StoredItem(key, keyId, value);
        if (lookup.Owner == node.Self)
        {
            return new PutResult(await local.StoreAsync(item, asOwner: true), lookup);
        }

        // The owner stores, then writes each replica before it answers: one more timeout per replica.
        var stored = await node.Calls.CallAsync(lookup.Owner, null, p => p.StoreAsync(item, asOwner: true), nested: node.Parameters.Replicas - 1);
        return stored.Ok
            ? new PutResult(stored.Value!, lookup)
            : throw new P2PException($"the owner {node.Space.Format(lookup.Owner)} of '{key}' was found but then did not take the key: {Unreachable.Describe(stored.Fault, node.Calls.Timeout)}");
    }

    /// <summary>
    /// The value of a key and who served it. When no holder had it and a holder's silo did not answer
    /// (rather than say it is not a member), or the lookup passed over a successor of the key ahead of the
    /// owner for that reason, <see cref="GetResult.HoldersUnreachable"/> counts them: the key is
    /// unavailable for now, not missing (a durable peer comes back).
    /// </summary>
    public static async Task<GetResult> GetAsync(ChordNode node, string overlay, string key)
    {
        ArgumentNullException.ThrowIfNull(node);
        var keyId = node.Space.Hash(key);
        var lookup = await ChordLookup.LookupAsync(node, overlay, keyId, key);
        if (!lookup.Success)
        {
            return new GetResult(null, null, lookup);
        }

        // The owner answers; while a failure is not yet repaired, the next successors hold replicas.
        var candidates = new List<NodeId> { lookup.Owner };
        if (lookup.Owner == node.Self)
        {
            candidates.AddRange(node.ReplicaTargets());
        }
        else if ((await node.Calls.CallAsync(lookup.Owner, null, p => p.GetNeighboursAsync())).Value is { } neighbours)
        {
            candidates.AddRange(node.ReplicaTargetsOf(lookup.Owner, neighbours));
        }

        var unreachable = 0;
        foreach (var candidate in candidates.Distinct())
        {
            var read = candidate == node.Self
                ? new PeerCallResult<string?>(PeerFault.None, false, node.Store.Get(key))
                : await node.Calls.CallAsync(candidate, null, p => p.ReadLocalAsync(key));
            if (read.Value is { } value)
            {
                return new GetResult(value, candidate, lookup);
            }

            // A holder whose silo did not answer may come back with the key (a durable peer): unavailable, not missing.
            unreachable += read.Fault is PeerFault.SiloUnreachable or PeerFault.TimedOut ? 1 : 0;
        }

        // The lookup passed over successors of the key whose silo did not answer: the real owner may be
        // among them (a durable peer comes back with the key), so the key is unavailable, not missing.
        return new GetResult(null, null, lookup) { HoldersUnreachable = unreachable + lookup.OwnersUnanswered };
    }
}

namespace P2POrleans.Common;

/// <summary>What every protocol's whole-overlay grain needs: its parameters, checked counts, and a fan-out over members.</summary>
public static class OverlayGrains
{
    /// <summary>The overlay's parameters as the protocol's own record, or a clear error.</summary>
    public static async Task<TParameters> RequireAsync<TParameters>(IOverlayRegistryGrain registry, string name, string protocol)
        where TParameters : OverlayParameters
    {
        var info = await registry.GetAsync() ?? throw new P2PException($"no overlay named '{name}' (create it first, or see `p2p list`)");
        return info.Parameters as TParameters
            ?? throw new P2PException($"overlay '{name}' is a {info.Parameters.Protocol} overlay, not {protocol}");
    }

    public static void CheckCount(int count)
    {
        if (count is < 1 or > 1_000_000)
        {
            throw new P2PException($"count must be between 1 and 1,000,000 (got {count})");
        }
    }

    /// <summary>Calls every member (bounded fan-out on the grain's scheduler); members that no longer answer are left out.</summary>
    public static async Task<Dictionary<NodeId, T>> GatherAsync<T>(IReadOnlyList<NodeId> members, int degree, Func<NodeId, Task<T>> call)
    {
        var results = new Dictionary<NodeId, T>();
        await Concurrently.ForEachAsync(members, degree, async id =>
        {
            try
            {
                results[id] = await call(id);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                // A member the registry still lists but that no longer answers: not counted.
            }
        });
        return results;
    }
}

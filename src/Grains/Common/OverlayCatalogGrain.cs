using Microsoft.Extensions.Logging;

namespace P2POrleans.Common;

/// <summary>
/// Serves the console's reads of overlays from the replica of the silo it runs on (a stateless worker
/// is activated on the silo that receives the call: the client's gateway). An overlay the replica has
/// never heard of (a silo that just started, or a durable overlay after the whole cluster restarted)
/// is asked of its registry, which then publishes it.
/// </summary>
[Orleans.Concurrency.StatelessWorker]
[Orleans.Concurrency.Reentrant]
public sealed class OverlayCatalogGrain(OverlayReplicas replicas, IClusterMembershipService membership, ILogger<OverlayCatalogGrain> logger) : Grain, IOverlayCatalogGrain
{
    private static readonly TimeSpan LocateTimeout = TimeSpan.FromSeconds(1);

    public async Task<OverlayInfo?> GetAsync(string name) => (await ReplicaAsync(name))?.Info;

    public async Task<IReadOnlyList<OverlayInfo>> ListAsync()
    {
        var names = replicas.Local.All().Where(r => r.Exists).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        try
        {
            // Durable overlays are listed in storage: after a restart of every silo no replica knows them yet.
            names.UnionWith(await GrainFactory.GetGrain<IOverlayDirectoryGrain>(0).ListAsync().WaitAsync(OverlayReplicas.CallTimeout));
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            logger.LogDebug("Overlay directory unavailable; listing the replica only: {Error}", e.Message);
        }

        var infos = new List<OverlayInfo>();
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            if (await GetAsync(name) is { } info)
            {
                infos.Add(info);
            }
        }

        return infos;
    }

    public async Task<IReadOnlyList<NodeId>> GetMembersAsync(string name) =>
        (await ReplicaAsync(name))?.Members.ToList() ?? [];

    public async Task<IReadOnlyList<NodeId>> GetMembersAfterAsync(string name, NodeId id, int count) =>
        await ReplicaAsync(name) is { } replica ? replica.MembersAfter(id, count) : [];

    public async Task<IReadOnlyList<NodeId>> PickInitiatorsAsync(string name, int count, IReadOnlyList<string> avoidSilos, IReadOnlyList<NodeId> avoidPeers)
    {
        if (await ReplicaAsync(name) is not { Exists: true } replica || replica.Members.Count == 0)
        {
            return [];
        }

        // Random candidates, each kept unless its grain is known to live on a silo
        // that is dead or that the caller could not reach. Only a few are looked up: a bad pick costs the
        // caller one failed call and a retry, a lookup per member would cost every request.
        // A member with no activation is kept too: a durable peer comes back from storage on its first
        // call. A volatile peer without one died with its silo (peers are always active) and stays a
        // member only until the ring prunes it; so does one that answers it is not a member (any call to
        // a dead volatile peer, a neighbour's stabilize or a console's try, activates it again empty on a
        // live silo: all 38 failed tries of the cluster demo's spread ring met one). Both come after every
        // live member, and a few such draws do not use up the lookups (a third of the members can be on a
        // killed silo).
        const int extraDrawsForLost = 16;
        var members = replica.Members;
        var durable = replica.Parameters!.IsDurable;
        var tried = new HashSet<int>();
        var picked = new List<NodeId>();
        var unknown = new List<NodeId>();
        var lost = new List<NodeId>();
        var snapshot = membership.CurrentSnapshot;
        var management = GrainFactory.GetGrain<IManagementGrain>(0);
        var draws = (4 * count) + avoidPeers.Count;
        for (var draw = 0; draw < draws && picked.Count < count && tried.Count < members.Count; draw++)
        {
            var index = Random.Shared.Next(members.Count);
            var id = members[index];
            if (!tried.Add(index) || avoidPeers.Contains(id))
            {
                continue;
            }

            SiloAddress? silo;
            try
            {
                silo = await management.GetActivationAddress(OverlayProtocols.Peer(GrainFactory, replica.Parameters!, name, id)).AsTask().WaitAsync(LocateTimeout);
            }
            catch (Exception e) when (Unreachable.Is(e))
            {
                unknown.Add(id);
                continue;
            }

            if (silo is null && !durable)
            {
                lost.Add(id);
                draws += lost.Count <= extraDrawsForLost ? 1 : 0;
            }
            else if (silo is null || (snapshot.GetSiloStatus(silo) is SiloStatus.Active && !avoidSilos.Contains(silo.Endpoint.ToString())))
            {
                switch (durable ? true : await IsMemberAsync(replica.Parameters!, name, id))
                {
                    case true:
                        picked.Add(id);
                        break;
                    case false:
                        lost.Add(id);
                        draws += lost.Count <= extraDrawsForLost ? 1 : 0;
                        break;
                    default:
                        unknown.Add(id);
                        break;
                }
            }
        }

        // Peers whose silo could not be looked up come next, still better than nothing; lost volatile peers last.
        return [.. picked.Concat(unknown).Concat(lost).Take(count)];
    }

    /// <summary>Whether a volatile peer with a live activation is a member; null when it did not answer in time.</summary>
    private async Task<bool?> IsMemberAsync(OverlayParameters parameters, string name, NodeId id)
    {
        if (OverlayProtocols.MemberPeer(GrainFactory, parameters, name, id) is not { } peer)
        {
            return true;
        }

        try
        {
            return await peer.IsMemberAsync().WaitAsync(LocateTimeout);
        }
        catch (Exception e) when (Unreachable.Is(e))
        {
            return null;
        }
    }

    private async Task<OverlayReplica?> ReplicaAsync(string name)
    {
        if (replicas.Local.Get(name) is { } replica)
        {
            return replica.Exists ? replica : null;
        }

        // Never heard of here (this silo started after the last change and could not catch up, or every
        // silo restarted since a durable overlay was created): ask the registry, which publishes the
        // overlay to every silo when it is activated.
        var registry = GrainFactory.GetGrain<IOverlayRegistryGrain>(name);
        if (await registry.GetAsync() is not { } info)
        {
            return null;
        }

        return replicas.Local.Get(name) is { Exists: true } published
            ? published
            : new OverlayReplica(name, default, info.Parameters, info.CreatedAt, info.Round, 0, [.. await registry.GetMembersAsync()]);
    }
}

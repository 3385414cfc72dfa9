using System.Collections.Concurrent;
using System.Globalization;
using P2POrleans.Chord;
using P2POrleans.Client;
using P2POrleans.Common;

namespace P2POrleans.ProcessTests;

/// <summary>A Chord overlay built through the `p2p` console on the process cluster, with its keys and where they live.</summary>
public sealed class ChordRing(IClusterClient client, string name)
{
    public string Name { get; } = name;

    public IOverlayRegistryGrain Registry => client.GetGrain<IOverlayRegistryGrain>(Name);

    public IReadOnlyList<NodeId> Members { get; private set; } = [];

    /// <summary>Peers joined when it was built.</summary>
    public int Size { get; private set; }

    /// <summary>Key -> the peers that stored it (owner first), as its last acknowledged put reported.</summary>
    public ConcurrentDictionary<string, IReadOnlyList<NodeId>> StoredAt { get; } = [];

    /// <summary>Key -> the version of its last acknowledged write (0: the put of the build).</summary>
    public ConcurrentDictionary<string, int> Acked { get; } = [];

    public Dictionary<NodeId, SiloAddress> HostOf { get; } = [];

    public IChordPeerGrain Peer(NodeId id) => client.GetGrain<IChordPeerGrain>(PeerKeys.For(Name, id));

    public static string ValueOf(string key) => "value-of-" + key;

    /// <summary>The value of a key's write number <paramref name="version"/> (0: the build's put).</summary>
    public static string ValueOf(string key, int version) => version == 0 ? ValueOf(key) : string.Create(CultureInfo.InvariantCulture, $"value-of-{key}@{version}");

    /// <summary>The write number a value of this key carries; null when it is not one of the key's values.</summary>
    public static int? VersionOf(string key, string? value)
    {
        var prefix = ValueOf(key);
        if (value is null || !value.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = value.AsSpan(prefix.Length);
        return rest.IsEmpty ? 0 : rest[0] == '@' && int.TryParse(rest[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    public static async Task<ChordRing> BuildAsync(IClusterClient client, string name, int peers, int keys, string[] createOptions, CancellationToken cancellationToken)
    {
        // Successor lists of 12: spread replicas reach another silo only within the owner's list, and with a third
        // of the peers on each silo an owner and its next six share one about once in 3^6 (docs/cluster.md).
        var ring = new ChordRing(client, name);
        await RunAsync(client, cancellationToken, ["chord", "create", name, "--successors", "12", "--seed", "9", .. createOptions]);
        await RunAsync(client, cancellationToken, ["chord", "join", name, "--count", peers.ToString(System.Globalization.CultureInfo.InvariantCulture), "--converged"]);
        ring.Members = await ring.Registry.GetMembersAsync();
        ring.Size = peers;
        Assert.Equal(peers, ring.Members.Count);

        var results = new System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<NodeId>>();
        await Parallel.ForEachAsync(Enumerable.Range(0, keys), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, _) =>
        {
            var key = $"key-{i}";
            var put = await ring.Peer(ring.Members[i % ring.Members.Count]).PutAsync(key, ValueOf(key));
            results[key] = put.StoredAt;
        });
        foreach (var (k, v) in results)
        {
            ring.StoredAt[k] = v;
            ring.Acked[k] = 0;
        }

        // Maintenance rounds, as a running overlay has them: stabilize tells each peer the silos of
        // its successors, one successor further along the list per round (each reply carries what
        // the successor learnt the round before), and spread replicas are re-placed once they are
        // known. Two rounds were not enough: a peer knew the silos of two successors, took unknown
        // ones as other silos, and a key whose owner and next four successors shared the killed silo
        // (about 1 in 240) lost every copy (3 of 1,000 once). A full successor list (6) of rounds.
        await ring.Registry.StepAsync(6);

        var management = client.GetGrain<IManagementGrain>(0);
        foreach (var m in ring.Members)
        {
            ring.HostOf[m] = (await management.GetActivationAddress(ring.Peer(m)))!;
        }

        return ring;
    }

    /// <summary>One get: true when it answered the key's last acknowledged write or a later one.</summary>
    public async Task<bool> GetsAsync(NodeId from, string key) => await ReadAsync(from, key) is { } v && v >= Acked.GetValueOrDefault(key);

    /// <summary>One get: the write number of the value it answered; null when it failed, found nothing or answered something else.</summary>
    public async Task<int?> ReadAsync(NodeId from, string key)
    {
        try
        {
            // Bounded: a call caught by the crash must not wait out the client's 30-minute response timeout.
            var got = await Peer(from).GetAsync(key).WaitAsync(TimeSpan.FromSeconds(10));
            return VersionOf(key, got.Value);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>
    /// One put of the key's write number <paramref name="version"/>; when the owner acknowledged it, the
    /// key's last acknowledged write and where it was stored are recorded. Null when it failed.
    /// </summary>
    public async Task<IReadOnlyList<NodeId>?> WriteAsync(NodeId from, string key, int version)
    {
        try
        {
            var put = await Peer(from).PutAsync(key, ValueOf(key, version)).WaitAsync(TimeSpan.FromSeconds(10));
            if (!put.Lookup.Success || put.StoredAt.Count == 0)
            {
                return null;
            }

            StoredAt[key] = put.StoredAt;
            Acked.AddOrUpdate(key, version, (_, v) => Math.Max(v, version));
            return put.StoredAt;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Joins <paramref name="count"/> new peers through the console and records where they live.</summary>
    public async Task JoinAsync(int count, CancellationToken cancellationToken)
    {
        await RunAsync(client, cancellationToken, ["chord", "join", Name, "--count", count.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await RefreshAsync();
    }

    /// <summary>Graceful leaves (keys to the successor); the peers stop being initiators before they leave.</summary>
    public async Task LeaveAsync(IReadOnlyList<NodeId> peers)
    {
        lock (HostOf)
        {
            Members = [.. Members.Except(peers)];
        }

        foreach (var p in peers)
        {
            try
            {
                // Bounded, as a read or write is: a leave caught by a silo restart must not wait out the client's 30-minute response timeout.
                await Peer(p).LeaveAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Still a member, or gone: the next refresh reads the registry again.
            }
        }
    }

    /// <summary>
    /// Reads the members again from the registry, and where the new ones live (under a lock on <see cref="HostOf"/>:
    /// a reader may be choosing initiators). A member that was not one at the last refresh is looked up again even
    /// when its id is known: a newcomer may have an id that a peer killed before had, on another silo.
    /// </summary>
    public async Task RefreshAsync()
    {
        var members = await Registry.GetMembersAsync();
        HashSet<NodeId> previous;
        lock (HostOf)
        {
            previous = [.. Members];
        }

        var management = client.GetGrain<IManagementGrain>(0);
        var added = new Dictionary<NodeId, SiloAddress>();
        foreach (var m in members)
        {
            bool known;
            lock (HostOf)
            {
                known = HostOf.ContainsKey(m) && previous.Contains(m);
            }

            if (!known && await management.GetActivationAddress(Peer(m)) is { } host)
            {
                added[m] = host;
            }
        }

        lock (HostOf)
        {
            foreach (var (m, host) in added)
            {
                HostOf[m] = host;
            }

            Members = members;
        }
    }

    private static async Task RunAsync(IClusterClient client, CancellationToken cancellationToken, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await P2PCli.RunAsync(args, client, output, error, cancellationToken);
        Assert.True(code == 0, $"p2p {string.Join(' ', args)} exited {code}: {error}");
    }
}

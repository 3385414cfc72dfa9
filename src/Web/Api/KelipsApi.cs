using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Web.Api;

/// <summary>Kelips on the page: the affinity groups with view completeness and filetuple coverage (`kelips groups`), a peer's contacts (`kelips view`), one-hop lookups and inserts.</summary>
public sealed class KelipsApi : MemberProtocolApi<IKelipsPeerGrain>
{
    public override string Protocol => KelipsParameters.Name;

    public override IReadOnlyList<string> Actions { get; } = ["join", "fail", "leave", "step", "lookup", "put", "get"];

    public override OverlayParameters Parameters(RequestBody body, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(body);
        var d = new KelipsParameters();
        return d with
        {
            ExpectedPeers = body.Int("expected", 1, 100_000_000) ?? d.ExpectedPeers,
            Groups = body.Int("groups", 0, 100_000) ?? d.Groups,
            Contacts = body.Int("contacts", 1, 64) ?? d.Contacts,
            Fanout = body.Int("fanout", 1, 64) ?? d.Fanout,
            Bits = body.Int("bits", 8, NodeId.MaxBits) ?? d.Bits,
            Seed = body.Long("seed", long.MinValue, long.MaxValue) ?? 1,
        };
    }

    public override async Task<object> PeersAsync(OverlayContext overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var k = ((KelipsParameters)overlay.Parameters).GroupCount;
        var members = await overlay.Registry.GetMembersAsync();
        return new { groups = k, peers = members.Select(m => new { id = overlay.Space.Format(m), group = Ids.Mod(m, k) }).ToArray() };
    }

    /// <summary>Every group against the truth (`kelips groups`): members, files, view completeness, filetuple coverage.</summary>
    public override async Task<object> SummaryAsync(OverlayContext overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        return new { check = await overlay.Grains.GetGrain<IKelipsOverlayGrain>(overlay.Name).CheckAsync() };
    }

    public override async Task<object> PeerAsync(OverlayContext overlay, string id)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var peer = await RequireMemberAsync(overlay, id, "id");
        var s = await overlay.Peer<IKelipsPeerGrain>(peer).GetStateAsync();
        var f = overlay.Space.Format;
        return new
        {
            id = f(s.Id),
            address = s.Address,
            group = s.Group,
            round = s.Round,
            view = s.View.Select(e => new { id = f(e.Id), heartbeat = e.Heartbeat, rtt_ms = Math.Round(e.RttMs, 1) }).ToArray(),
            contacts = s.Contacts.Select(e => new { id = f(e.Id), group = e.Group, rtt_ms = Math.Round(e.RttMs, 1) }).ToArray(),
            filetuples = s.FileTuples.Count,
            hosted_files = s.HostedFiles,
            silo = s.Silo,
        };
    }

    public override async Task<object> JoinAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var (count, idText) = CountOrId(body, overlay.Options.MaxPeers);
        var converged = body.Bool("converged") ?? false;
        if (idText is not null && converged)
        {
            throw new WebProblem("'id' joins one peer; it cannot be combined with 'converged'");
        }

        var control = overlay.Grains.GetGrain<IKelipsOverlayGrain>(overlay.Name);
        CheckRoom(overlay, count ?? 1);
        IReadOnlyList<NodeId> joined = idText is not null
            ? [await control.JoinIdAsync(overlay.ParseId(idText, "id"))]
            : converged ? await control.BuildConvergedAsync(count ?? 1) : await control.JoinPeersAsync(count ?? 1);
        return new { joined = joined.Take(100).Select(overlay.Space.Format).ToArray(), count = joined.Count };
    }

    /// <summary>A lookup of a file name and the fetch from its home node (`kelips lookup --json`).</summary>
    public override async Task<object> LookupAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        var file = body.String("key", 1024) ?? throw new WebProblem("give the file name as 'key'");
        var r = await overlay.Peer<IKelipsPeerGrain>(await InitiatorAsync(overlay, body)).LookupAsync(file);
        return LookupJson((KelipsParameters)overlay.Parameters, r);
    }

    /// <summary>`kelips lookup --json`, with each hop's affinity group.</summary>
    public static object LookupJson(KelipsParameters parameters, KelipsLookupResult r)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(r);
        var space = parameters.Space;
        var k = parameters.GroupCount;
        return new
        {
            file = r.FileName,
            group = r.FileGroup,
            owner = r.Lookup.Success ? space.Format(r.Lookup.Owner) : null,
            home = r.Lookup.Success ? space.Format(r.Lookup.Owner) : null,
            path_length = r.PathLength,
            hops = r.Lookup.Hops,
            path = r.Lookup.Path.Select(h => space.Format(h.Node)).ToArray(),
            reasons = r.Lookup.Path.Select(h => h.Reason).ToArray(),
            latency_ms = Math.Round(r.Lookup.LatencyMs, 3),
            fetch_rtt_ms = Math.Round(r.FetchRttMs, 3),
            total_latency_ms = Math.Round(r.TotalLatencyMs, 3),
            messages = r.Lookup.Messages,
            success = r.Lookup.Success,
            fetched = r.Fetched,
            content = r.Content,
            error = r.Lookup.Error,
            steps = r.Lookup.Path.Select(h => new { id = space.Format(h.Node), group = Ids.Mod(h.Node, k), rtt_ms = Math.Round(h.RttMs, 3), reason = h.Reason }).ToArray(),
        };
    }

    /// <summary>put: insert the file at the initiator, its home node (`kelips insert`).</summary>
    public override async Task<object> PutAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        var file = body.String("key", 1024) ?? throw new WebProblem("give the file name as 'key'");
        var content = body.String("value", 64 * 1024) ?? file;
        var r = await overlay.Peer<IKelipsPeerGrain>(await InitiatorAsync(overlay, body)).InsertAsync(file, content);
        return new { file = r.FileName, home = overlay.Space.Format(r.Home), group = r.FileGroup, sent_to = r.SentTo is { } s ? overlay.Space.Format(s) : null };
    }

    public override Task<object> GetAsync(OverlayContext overlay, RequestBody body) => LookupAsync(overlay, body);

    private static async Task<NodeId> InitiatorAsync(OverlayContext overlay, RequestBody body)
    {
        if (overlay.Info.Members == 0)
        {
            throw WebProblem.Conflict($"'{overlay.Name}' has no peers yet: join some first");
        }

        var preferred = Preferred(overlay, body);
        if (preferred is { } p && !await overlay.Peer<IKelipsPeerGrain>(p).IsMemberAsync())
        {
            throw WebProblem.NotFound($"peer {overlay.Space.Format(p)} is not a member of '{overlay.Name}'");
        }

        return await overlay.Grains.GetGrain<IKelipsOverlayGrain>(overlay.Name).ResolveInitiatorAsync(preferred);
    }
}

using P2POrleans.Common;
using P2POrleans.Kelips;

namespace P2POrleans.Web.Api;

/// <summary>Kelips on the page: the affinity groups with view completeness and filetuple coverage (`kelips groups`), a peer's contacts (`kelips view`), one-hop lookups and inserts.</summary>
public sealed class KelipsApi : MemberProtocolApi<IKelipsPeerGrain, IKelipsOverlayGrain>
{
    public override string Protocol => KelipsParameters.Name;

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
            Seed = body.Seed(),
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
        return new { check = await Overlay(overlay).CheckAsync() };
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

    /// <summary>A lookup of a file name and the fetch from its home node (`kelips lookup --json`).</summary>
    public override async Task<object> LookupAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        var file = body.String("key", 1024) ?? throw new WebProblem("give the file name as 'key'");
        var r = await overlay.Peer<IKelipsPeerGrain>(await InitiatorAsync(overlay, body)).LookupAsync(file);
        return Traces.KelipsLookup((KelipsParameters)overlay.Parameters, r);
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
}

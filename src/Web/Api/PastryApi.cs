using System.Text;
using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Web.Api;

/// <summary>Pastry on the page: a peer's routing table, leaf set and neighbourhood set (`pastry table`, `leafset`), lookups with the digits each hop shares with the key.</summary>
public sealed class PastryApi : MemberProtocolApi<IPastryPeerGrain>
{
    public override string Protocol => PastryParameters.Name;

    public override IReadOnlyList<string> Actions { get; } = ["join", "fail", "leave", "step", "lookup", "put", "get"];

    public override OverlayParameters Parameters(RequestBody body, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(body);
        var d = PastryParameters.Default;
        return d with
        {
            Bits = body.Int("bits", 1, 128) ?? d.Bits,
            DigitBits = body.Int("b", 1, 8) ?? d.DigitBits,
            LeafSetSize = body.Int("leaf_set", 2, 256) ?? d.LeafSetSize,
            NeighbourhoodSize = body.Int("neighbourhood", 0, 256) ?? d.NeighbourhoodSize,
            Replicas = body.Int("replicas", 1, 129) ?? d.Replicas,
            Seed = body.Long("seed", long.MinValue, long.MaxValue) ?? 1,
        };
    }

    public override async Task<object> PeersAsync(OverlayContext overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var p = (PastryParameters)overlay.Parameters;
        var members = await overlay.Registry.GetMembersAsync();
        return new
        {
            b = p.DigitBits,
            rows = p.Rows,
            columns = p.Columns,
            peers = members.Select(m => new { id = overlay.Space.Format(m), pos = overlay.Position(m), digits = Digits(p, m) }).ToArray(),
        };
    }

    /// <summary>The routing table as rows x columns: an entry's row is the digits it shares with the owner, its column its next digit (section 2.1).</summary>
    public override async Task<object> PeerAsync(OverlayContext overlay, string id)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var p = (PastryParameters)overlay.Parameters;
        var peer = await RequireMemberAsync(overlay, id, "id");
        var state = await overlay.Peer<IPastryPeerGrain>(peer).GetStateAsync();
        var space = overlay.Space;
        object Entry(NodeId n) => new { id = space.Format(n), pos = overlay.Position(n), digits = Digits(p, n) };
        var cells = state.RoutingTable.Select(n =>
        {
            var row = Math.Min(space.SharedPrefixDigits(peer, n, p.DigitBits), p.Rows - 1);
            return new { row, column = space.Digit(n, row, p.DigitBits), id = space.Format(n), pos = overlay.Position(n), digits = Digits(p, n) };
        }).OrderBy(c => c.row).ThenBy(c => c.column).ToArray();
        return new
        {
            id = space.Format(peer),
            pos = overlay.Position(peer),
            digits = Digits(p, peer),
            address = state.Address,
            b = p.DigitBits,
            columns = p.Columns,
            own_digits = Enumerable.Range(0, p.Rows).Select(r => space.Digit(peer, r, p.DigitBits)).ToArray(),
            table = cells,
            leaf_set = new { smaller = state.LeafSet.Smaller.Select(Entry).ToArray(), larger = state.LeafSet.Larger.Select(Entry).ToArray() },
            neighbourhood = state.Neighbourhood.Select(Entry).ToArray(),
            keys = state.Keys,
            lookup_messages = state.LookupMessages,
            maintenance_messages = state.MaintenanceMessages,
            silo = state.Silo,
        };
    }

    public override async Task<object> JoinAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        var (count, idText) = CountOrId(body, overlay.Options.MaxPeers);
        var converged = body.Bool("converged") ?? false;
        var control = overlay.Grains.GetGrain<IPastryOverlayGrain>(overlay.Name);
        IReadOnlyList<NodeId> joined;
        if (idText is not null)
        {
            CheckRoom(overlay, 1);
            joined = [await control.JoinIdAsync(overlay.ParseId(idText, "id"))];
        }
        else
        {
            CheckRoom(overlay, count ?? 1);
            joined = converged ? await control.BuildConvergedAsync(count ?? 1) : await control.JoinHostsAsync(count ?? 1);
        }

        return new { joined = joined.Take(100).Select(overlay.Space.Format).ToArray(), count = joined.Count };
    }

    public override async Task<object> LookupAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        var keyText = body.String("key", 1024);
        var idText = body.String("key_id", 80);
        if ((keyText is null) == (idText is null))
        {
            throw new WebProblem("give a 'key' string or a 'key_id', not both");
        }

        var key = idText is not null ? overlay.ParseId(idText, "key_id") : overlay.Space.Hash(keyText!);
        var initiator = await InitiatorAsync(overlay, body);
        return Json(overlay, await overlay.Peer<IPastryPeerGrain>(initiator).LookupAsync(key, keyText), keyText);
    }

    public override async Task<object> PutAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var key = body.String("key", 1024) ?? throw new WebProblem("give the 'key'");
        var value = body.String("value", 64 * 1024) ?? throw new WebProblem("give the 'value'");
        var result = await overlay.Peer<IPastryPeerGrain>(await InitiatorAsync(overlay, body)).PutAsync(key, value);
        return new { stored_at = result.StoredAt.Select(overlay.Space.Format).ToArray(), lookup = Json(overlay, result.Lookup, key) };
    }

    public override async Task<object> GetAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var key = body.String("key", 1024) ?? throw new WebProblem("give the 'key'");
        var result = await overlay.Peer<IPastryPeerGrain>(await InitiatorAsync(overlay, body)).GetAsync(key);
        return new { key, value = result.Value, found = result.Value is not null, lookup = Json(overlay, result.Lookup, key) };
    }

    /// <summary>The id's digits in base 2^b, one hex character per digit for b &lt;= 4 (as `pastry lookup` prints them).</summary>
    public static string Digits(PastryParameters p, NodeId id)
    {
        ArgumentNullException.ThrowIfNull(p);
        var text = new StringBuilder(p.Rows * 2);
        for (var i = 0; i < p.Rows; i++)
        {
            var d = p.Space.Digit(id, i, p.DigitBits);
            text.Append(p.DigitBits <= 4 ? d.ToString("x", System.Globalization.CultureInfo.InvariantCulture) : d.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }

    private static object Json(OverlayContext overlay, LookupResult r, string? keyText) => LookupJson((PastryParameters)overlay.Parameters, r, keyText);

    /// <summary>`pastry lookup --json`, plus per hop its digits, the digits it shares with the key and its place on the ring.</summary>
    public static object LookupJson(PastryParameters p, LookupResult r, string? keyText)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(r);
        double Position(NodeId id) => Ids.Position(p.Space, id);
        int Shared(NodeId n) => Math.Min(p.Space.SharedPrefixDigits(n, r.Key, p.DigitBits), p.Rows);
        return new
        {
            key = keyText,
            key_id = p.Space.Format(r.Key),
            key_digits = Digits(p, r.Key),
            key_pos = Position(r.Key),
            owner = r.Success ? p.Space.Format(r.Owner) : null,
            hops = r.Hops,
            path = r.Path.Select(h => p.Space.Format(h.Node)).ToArray(),
            digits = r.Path.Select(h => Shared(h.Node)).ToArray(),
            reasons = r.Path.Select(h => h.Reason).ToArray(),
            latency_ms = Math.Round(r.LatencyMs, 3),
            messages = r.Messages,
            dead_hops_skipped = r.DeadHopsSkipped,
            success = r.Success,
            error = r.Error,
            digit_width = p.DigitBits <= 4 ? 1 : 2,
            steps = r.Path.Select(h => new { id = p.Space.Format(h.Node), pos = Position(h.Node), digits = Digits(p, h.Node), shared = Shared(h.Node), rtt_ms = Math.Round(h.RttMs, 3), reason = h.Reason }).ToArray(),
        };
    }

    private static async Task<NodeId> InitiatorAsync(OverlayContext overlay, RequestBody body)
    {
        if (overlay.Info.Members == 0)
        {
            throw WebProblem.Conflict($"'{overlay.Name}' has no peers yet: join some first");
        }

        var preferred = Preferred(overlay, body);
        if (preferred is { } p && !await overlay.Peer<IPastryPeerGrain>(p).IsMemberAsync())
        {
            throw WebProblem.NotFound($"peer {overlay.Space.Format(p)} is not a member of '{overlay.Name}'");
        }

        return await overlay.Grains.GetGrain<IPastryOverlayGrain>(overlay.Name).ResolveInitiatorAsync(preferred);
    }
}

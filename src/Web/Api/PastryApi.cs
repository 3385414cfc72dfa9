using P2POrleans.Common;
using P2POrleans.Pastry;

namespace P2POrleans.Web.Api;

/// <summary>Pastry on the page: a peer's routing table, leaf set and neighbourhood set (`pastry table`, `leafset`), lookups with the digits each hop shares with the key.</summary>
public sealed class PastryApi : KeyValueProtocolApi<IPastryPeerGrain, IPastryOverlayGrain>
{
    public override string Protocol => PastryParameters.Name;

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
            Seed = body.Seed(),
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
            peers = members.Select(m => new { id = overlay.Space.Format(m), pos = overlay.Position(m), digits = PastryDigits.Of(p, m) }).ToArray(),
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
        object Entry(NodeId n) => new { id = space.Format(n), pos = overlay.Position(n), digits = PastryDigits.Of(p, n) };
        var cells = state.RoutingTable.Select(n =>
        {
            var row = Math.Min(space.SharedPrefixDigits(peer, n, p.DigitBits), p.Rows - 1);
            return new { row, column = space.Digit(n, row, p.DigitBits), id = space.Format(n), pos = overlay.Position(n), digits = PastryDigits.Of(p, n) };
        }).OrderBy(c => c.row).ThenBy(c => c.column).ToArray();
        return new
        {
            id = space.Format(peer),
            pos = overlay.Position(peer),
            digits = PastryDigits.Of(p, peer),
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

    protected override object LookupJson(OverlayContext overlay, LookupResult r, string? keyText) => Traces.PastryLookup((PastryParameters)overlay.Parameters, r, keyText);
}

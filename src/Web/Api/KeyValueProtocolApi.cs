using P2POrleans.Common;

namespace P2POrleans.Web.Api;

/// <summary>
/// Chord and Pastry on the page: distributed hash tables whose peers (<see cref="IKeyValuePeer"/>) look a
/// key up, put and get, as the console's shared `lookup`, `put` and `get` commands drive them.
/// </summary>
public abstract class KeyValueProtocolApi<TPeer, TOverlay> : MemberProtocolApi<TPeer, TOverlay>
    where TPeer : IKeyValuePeer
    where TOverlay : IStructuredOverlayGrain
{
    /// <summary>The protocol's `lookup --json`, with what the page draws of each hop.</summary>
    protected abstract object LookupJson(OverlayContext overlay, LookupResult r, string? keyText);

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
        return LookupJson(overlay, await overlay.Peer<TPeer>(initiator).LookupAsync(key, keyText), keyText);
    }

    public override async Task<object> PutAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        var key = body.String("key", 1024) ?? throw new WebProblem("give the 'key'");
        var value = body.String("value", 64 * 1024) ?? throw new WebProblem("give the 'value'");
        var initiator = await InitiatorAsync(overlay, body);
        var result = await overlay.Peer<TPeer>(initiator).PutAsync(key, value);
        return new { stored_at = result.StoredAt.Select(overlay.Space.Format).ToArray(), lookup = LookupJson(overlay, result.Lookup, key) };
    }

    public override async Task<object> GetAsync(OverlayContext overlay, RequestBody body)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        ArgumentNullException.ThrowIfNull(body);
        var key = body.String("key", 1024) ?? throw new WebProblem("give the 'key'");
        var initiator = await InitiatorAsync(overlay, body);
        var result = await overlay.Peer<TPeer>(initiator).GetAsync(key);
        return new { key, value = result.Value, found = result.Value is not null, served_by = result.ServedBy is { } s ? overlay.Space.Format(s) : null, lookup = LookupJson(overlay, result.Lookup, key) };
    }
}

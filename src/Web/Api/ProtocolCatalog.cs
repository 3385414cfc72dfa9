namespace P2POrleans.Web.Api;

/// <summary>The protocols the page knows, by the name the registry reports.</summary>
public sealed class ProtocolCatalog
{
    private readonly Dictionary<string, ProtocolApi> _byName;

    public ProtocolCatalog(IEnumerable<ProtocolApi> protocols) =>
        _byName = protocols.ToDictionary(p => p.Protocol, StringComparer.OrdinalIgnoreCase);

    public IEnumerable<ProtocolApi> All => _byName.Values;

    public ProtocolApi Get(string protocol) =>
        _byName.TryGetValue(protocol, out var api)
            ? api
            : throw new WebProblem($"unknown protocol '{RequestBody.Shown(protocol)}' (known: {string.Join(", ", _byName.Keys.Order())})");
}

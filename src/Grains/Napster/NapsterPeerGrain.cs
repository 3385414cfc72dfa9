using P2POrleans.Common;
using P2POrleans.Unstructured;

namespace P2POrleans.Napster;

/// <summary>
/// A Napster client: joins through the server's introducer, uploads its file list on connect,
/// searches the server, then pings every holder (simulated RTT, rate from its speed) and fetches
/// from the best (<see cref="HostProbe"/>). Each round it checks the server still knows it and logs
/// in again if not (that is how a restarted server's directory is rebuilt). Its rules are
/// <see cref="NapsterNode"/>'s.
/// </summary>
[Orleans.Concurrency.Reentrant]
[CollectionAgeLimit(AlwaysActive = true)]
[Orleans.Placement.RandomPlacement]
public sealed class NapsterPeerGrain() : UnstructuredPeerGrain<NapsterNode>(NapsterParameters.Name), INapsterPeerGrain
{
    private const int MaxResults = 100;

    private INapsterServerGrain Server => GrainFactory.GetGrain<INapsterServerGrain>(Overlay);

    private INapsterPeerGrain Peer(int node) => PeerGrain<INapsterPeerGrain>(node);

    public async Task JoinAsync(NapsterParameters parameters, IReadOnlyList<SharedFile> files)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        EnsureNotMember();
        var node = new NapsterNode(Self, parameters, files);
        node.Introduced = await Server.JoinAsync(Endpoint, files); // throws while the server is down: nothing changed
        Start(node);
        await Registry.AddMemberAsync(UnstructuredNodes.IdOf(Self));
    }

    public async Task LeaveAsync()
    {
        _ = Node;
        Stop();
        try
        {
            await Server.LogoutAsync(Endpoint);
        }
        catch (P2PException)
        {
            // the server is down: it forgot us anyway
        }

        await LeaveRegistryAsync();
    }

    /// <summary>Keep-alive: a server that restarted does not know us; log in again with the file list.</summary>
    public async Task TickAsync(long round)
    {
        if (Current is not { } node)
        {
            return;
        }

        try
        {
            if (!await Server.IsOnlineAsync(Endpoint) && Current is not null)
            {
                await Server.LoginAsync(Endpoint, node.Library.Files);
                P2PTelemetry.CountMessage(Protocol, P2PTelemetry.MaintenanceKind, "Login");
            }
        }
        catch (P2PException)
        {
            // the server is down; try again next round
        }
    }

    public async Task<SharedFile> ShareAsync(string name, uint size)
    {
        var node = Node;
        var file = node.Share(name, size);
        await Server.LoginAsync(Endpoint, node.Library.Files); // the new list replaces the old one
        return file;
    }

    public async Task<QueryOutcome> SearchAsync(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _ = Node;
        using var activity = UnstructuredTelemetry.StartQuery(Protocol, Overlay, text, Self);
        var outcome = await SearchServerAsync(text);
        UnstructuredTelemetry.Complete(activity, outcome, outcome.Success ? 2 * RttToServer() : 0);
        return outcome;
    }

    public async Task<FetchOutcome> FetchAsync(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _ = Node;
        using var activity = P2PTelemetry.Source.StartActivity(Protocol + ".fetch");
        activity?.SetTag("p2p.overlay", Overlay);
        activity?.SetTag("p2p.key", text);
        var search = await SearchAsync(text);
        if (!search.Success || search.Hits.Count == 0)
        {
            return new FetchOutcome(search, [], null, "none", [], 0, 0, search.Error ?? $"nobody online shares '{text}'");
        }

        // ping every holder of the first title found (the client's "ping the candidates", Napster 1999);
        // one found dead is reported to the server, which drops its files
        var probed = await HostProbe.ProbeAsync(Protocol, Self, search, new NetworkModel(Node.Parameters.Seed), n => Peer(n).ProbeAsync(),
            dead => Server.ReportDeadAsync(dead.Endpoint));
        search = search with { Messages = search.Messages + HostProbe.Messages(probed) };
        return await HostProbe.FetchDirectAsync(search, probed, hit => Peer(hit.Node).DownloadAsync(hit.File.Index, Self), activity);
    }

    public Task<PeerProbe> ProbeAsync() => Task.FromResult(Node.Probe);

    public Task<SharedFile> DownloadAsync(uint fileIndex, int requester) => Task.FromResult(Node.Upload(fileIndex));

    public Task<UnstructuredPeerView> ViewAsync() => Task.FromResult(Node.View());

    private async Task<QueryOutcome> SearchServerAsync(string text)
    {
        IReadOnlyList<DirectoryEntry> entries;
        try
        {
            entries = await Server.SearchAsync(text, MaxResults);
        }
        catch (P2PException e)
        {
            return NapsterNode.SearchFailed(Self, text, e.Message);
        }

        P2PTelemetry.CountMessage(Protocol, P2PTelemetry.LookupKind, "Search");
        P2PTelemetry.CountMessage(Protocol, P2PTelemetry.LookupKind, "SearchResponse");
        return Node.Searched(text, entries);
    }

    private static double RttToServer() => 2 * NetworkModel.BaseOneWayMs + 50; // the server sits in one data centre: a typical 50 ms away
}

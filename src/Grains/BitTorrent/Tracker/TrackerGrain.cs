using P2POrleans.Common;

namespace P2POrleans.BitTorrent.Tracker;

/// <summary>The tracker of one torrent (key "&lt;overlay&gt;/&lt;info hash&gt;"); logic in <see cref="TrackerState"/>.</summary>
[CollectionAgeLimit(AlwaysActive = true)]
public sealed class TrackerGrain : Grain, ITrackerGrain
{
    private TrackerState _state = new(new Random(0));
    private string _infoHash = "";

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.LastIndexOf('/');
        _infoHash = key[(slash + 1)..];
        _state = NewState();
        return Task.CompletedTask;
    }

    public Task<AnnounceResponse> AnnounceAsync(PeerId peer, AnnounceEvent announceEvent, bool seeding, int numWant)
    {
        var peers = _state.Announce(peer, announceEvent, seeding, numWant);
        P2PTelemetry.CountMessage(SwarmParameters.Name, P2PTelemetry.MaintenanceKind, "announce");
        return Task.FromResult(new AnnounceResponse(peers, _state.Seeders, _state.Leechers, 1800));
    }

    public Task<ScrapeResult> ScrapeAsync() => Task.FromResult(new ScrapeResult(_infoHash, _state.Seeders, _state.Leechers, _state.Downloaded));

    /// <summary>Forgets every peer and restarts the random answers, so a swarm created again replays the same run.</summary>
    public Task ResetAsync()
    {
        _state = NewState();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Seeded by the torrent, not the overlay name: the same swarm under another name (the
    /// experiments make unique names) must get the same peer lists, or no run would repeat.
    /// </summary>
    private TrackerState NewState() => new(SeededRandom.Create((long)SeededRandom.Fnv1a(_infoHash), "tracker"));
}

namespace P2POrleans.BitTorrent;

/// <summary>
/// The tracker of one torrent (key "&lt;overlay&gt;/&lt;info-hash hex&gt;"). It only introduces peers
/// and counts them; it never sees pieces (BEP 3).
/// </summary>
public interface ITrackerGrain : IGrainWithStringKey
{
    /// <summary>Registers or updates a peer; returns up to <paramref name="numWant"/> other peers at random.</summary>
    Task<AnnounceResponse> AnnounceAsync(PeerId peer, AnnounceEvent announceEvent, bool seeding, int numWant);

    Task<ScrapeResult> ScrapeAsync();

    /// <summary>Forgets every peer (the swarm was deleted or re-created).</summary>
    Task ResetAsync();
}

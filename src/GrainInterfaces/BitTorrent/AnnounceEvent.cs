namespace P2POrleans.BitTorrent;

/// <summary>The event of a tracker announce (BEP 3); None is a regular re-announce.</summary>
public enum AnnounceEvent
{
    None = 0,
    Started = 1,
    Completed = 2,
    Stopped = 3,
}

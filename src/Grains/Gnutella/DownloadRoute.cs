namespace P2POrleans.Gnutella;

/// <summary>How a download can start (PROTOCOLS.md, Gnutella: download).</summary>
public enum DownloadRoute
{
    /// <summary>The responder accepts connections: HTTP GET /get/&lt;index&gt;/&lt;name&gt;/.</summary>
    Direct,

    /// <summary>The responder is firewalled: a Push through the overlay, then it connects out with GIV.</summary>
    Push,

    /// <summary>Both firewalled, or the Push found no route.</summary>
    Failed,
}

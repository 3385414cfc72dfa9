using P2POrleans.Unstructured.Flooding;

namespace P2POrleans.Testing.Unstructured;

/// <summary>How a download can start (Gnutella 0.4 spec, section 2.2.6: Push for firewalled servents).</summary>
public enum DownloadRoute
{
    /// <summary>The responder accepts connections: HTTP GET /get/&lt;index&gt;/&lt;name&gt;/.</summary>
    Direct,

    /// <summary>The responder is firewalled: a Push through the overlay, then it connects out with GIV.</summary>
    Push,

    /// <summary>Both firewalled, or the Push found no route.</summary>
    Failed,
}

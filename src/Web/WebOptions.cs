using System.Net;

namespace P2POrleans.Web;

/// <summary>Where the page listens. Loopback by default: the page and its API have no authentication.</summary>
public sealed record WebOptions
{
    public const int DefaultPort = 5080;

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The most peers one request may add, or an overlay created from the page may hold.</summary>
    public int MaxPeers { get; init; } = 20_000;

    /// <summary>How often the watcher reads the overlays' sizes and rounds to push changes made elsewhere (the console).</summary>
    public TimeSpan WatchPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Whether only this machine can reach the page.</summary>
    public bool IsLoopback => Host is "localhost" || (IPAddress.TryParse(Host, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>The one-line warning printed when the page is reachable from other machines.</summary>
    public string? Warning => IsLoopback
        ? null
        : $"warning: the page listens on {Host}, reachable from other machines, and has no authentication: anyone who reaches it can create, fail and delete overlays";

    /// <summary>What is wrong with the host or port, in words; null when both are usable.</summary>
    public string? Problem()
    {
        if (Port is < 0 or > 65535)
        {
            return $"the web port must be between 1 and 65535 (got {Port})";
        }

        if (Host != "localhost" && !IPAddress.TryParse(Host, out _))
        {
            return $"the web host must be an IP address such as 127.0.0.1 or 0.0.0.0, or localhost (got '{Host}')";
        }

        return null;
    }

    internal string ListenUrl => $"http://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";
}

using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace P2POrleans.Web;

/// <summary>
/// What the page is told, from the API's own actions, the watcher (changes made elsewhere, e.g. by
/// the console) and the demo in the same process. Keeps the last traces of each overlay so a page
/// opened later shows them too (/api/overlays/{name}/lookups).
/// </summary>
public sealed class LiveFeed(IHubContext<LiveHub> hub)
{
    private const int TracesKept = 20;
    private readonly ConcurrentDictionary<string, List<object>> _traces = new(StringComparer.Ordinal);
    private long _lastTrace;

    /// <summary>The overlay the demo is showing (null when no demo runs), and what it is doing.</summary>
    public (string Overlay, string Caption)? Focus { get; private set; }

    public Task OverlaysChangedAsync() => hub.Clients.All.SendAsync("overlays");

    public Task ChangedAsync(string overlay) => hub.Clients.All.SendAsync("changed", overlay);

    /// <summary>A lookup or a query to draw; <paramref name="trace"/> is the API's JSON for it. Returns its number (pages draw each once).</summary>
    public async Task<long> TraceAsync(string overlay, string kind, object trace)
    {
        var list = _traces.GetOrAdd(overlay, _ => []);
        var id = Interlocked.Increment(ref _lastTrace);
        var entry = new { id, kind, at = DateTimeOffset.UtcNow, trace };
        lock (list)
        {
            list.Add(entry);
            if (list.Count > TracesKept)
            {
                list.RemoveAt(0);
            }
        }

        await hub.Clients.All.SendAsync("trace", overlay, entry);
        return id;
    }

    public IReadOnlyList<object> Traces(string overlay)
    {
        if (!_traces.TryGetValue(overlay, out var list))
        {
            return [];
        }

        lock (list)
        {
            return [.. list];
        }
    }

    public void Forget(string overlay) => _traces.TryRemove(overlay, out _);

    /// <summary>The demo moved to <paramref name="overlay"/>: every open page switches to it.</summary>
    public Task FocusAsync(string overlay, string caption)
    {
        Focus = (overlay, caption);
        return hub.Clients.All.SendAsync("focus", overlay, caption);
    }
}
